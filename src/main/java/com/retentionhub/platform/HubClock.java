package com.retentionhub.platform;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One clock for the whole hub, so tests can pin time. */
@Configuration(proxyBeanMethods = false)
public class HubClock {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
