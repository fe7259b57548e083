package com.retentionhub.dispatch;

import com.retentionhub.dispatch.policy.QuietHours;
import com.retentionhub.dispatch.policy.RecipientLocale;
import com.retentionhub.dispatch.policy.SendPolicy;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.ConfigFiles;
import com.retentionhub.platform.HubProperties;
import jakarta.validation.Validator;
import java.nio.file.Path;
import java.time.ZoneId;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The last hop's rules, from {@code config/quiet-hours.yaml} and {@code hub.dispatch.policy}. */
@Configuration(proxyBeanMethods = false)
public class DispatchConfiguration {

    @Bean
    SendPolicy sendPolicy(HubProperties properties, BusinessProfile business, Validator validator) {
        HubProperties.Policy policy = properties.dispatch().policy();
        QuietHours quietHours = new QuietHours(ConfigFiles.load(Path.of(policy.quietHoursFile()), QuietHours.File.class, validator));
        return new SendPolicy(quietHours, new RecipientLocale(ZoneId.of(business.timeZone())), policy);
    }
}
