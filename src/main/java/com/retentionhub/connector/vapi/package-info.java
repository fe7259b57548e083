/** VAPI's wire format: the call mapper, and the status vocabulary the VAPI webhook shares with it. */
@NamedInterface("vapi")
package com.retentionhub.connector.vapi;

import org.springframework.modulith.NamedInterface;
