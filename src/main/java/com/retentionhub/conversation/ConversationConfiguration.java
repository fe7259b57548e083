package com.retentionhub.conversation;

import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.ConfigFiles;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.template.MessageTemplates;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Validator;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the conversation's files of {@code config/} (flow, replies, reach-out) once at start-up; an invalid file stops the hub. */
@Configuration(proxyBeanMethods = false)
public class ConversationConfiguration {

    @Bean
    ConversationFlow conversationFlow(HubProperties properties) {
        return ConversationFlowLoader.load(Path.of(properties.fsmFile()));
    }

    @Bean
    @SuppressWarnings("unchecked")
    ReplyTemplates replyTemplates(HubProperties properties, BusinessProfile business, Validator validator) {
        return new ReplyTemplates(ConfigFiles.load(Path.of(properties.conversation().repliesFile()), Map.class, validator), business);
    }

    @Bean
    @SuppressWarnings("unchecked")
    Outreach outreach(HubProperties properties, Validator validator, ReplyTemplates replies, AiReplies ai, ConversationFlow flow,
            MessageTemplates templates, ProducerTemplate producer, MeterRegistry meters) {
        return new Outreach(ConfigFiles.load(Path.of(properties.outreachFile()), Map.class, validator), replies, ai, flow, templates,
                producer, meters,
                properties);
    }
}
