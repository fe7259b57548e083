/** The send rules (consent, quiet hours, caps, expiry), published so a dry run can show what dispatch would decide. */
@NamedInterface("policy")
package com.retentionhub.dispatch.policy;

import org.springframework.modulith.NamedInterface;
