/**
 * The shared kernel every module builds on: configuration, SQL helpers, business events, dead
 * letters, security and the webhook helpers in {@code platform.web}. Open, so its sub-packages are
 * usable by all; it depends on no other module.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package com.retentionhub.platform;

import org.springframework.modulith.ApplicationModule;
