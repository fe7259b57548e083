package com.retentionhub.platform;

import com.retentionhub.consent.ConsentSignals;
import com.retentionhub.consent.KeywordClassifier;
import com.retentionhub.consent.KeywordLists;
import com.retentionhub.consent.MessageLayers;
import com.retentionhub.consent.PhraseLists;
import com.retentionhub.conversation.ConversationFlow;
import com.retentionhub.conversation.ConversationFlowLoader;
import com.retentionhub.conversation.AiReplies;
import com.retentionhub.conversation.Outreach;
import com.retentionhub.conversation.ReplyTemplates;
import jakarta.validation.Validator;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the data files of {@code config/} once at start-up; an invalid file stops the hub. */
@Configuration(proxyBeanMethods = false)
public class DomainConfiguration {

    @Bean
    BusinessProfile businessProfile(HubProperties properties, Validator validator) {
        return ConfigFiles.load(Path.of(properties.businessFile()), BusinessProfile.class, validator);
    }

    @Bean
    ConsentSignals consentSignals(HubProperties properties, Validator validator) {
        return new ConsentSignals(new KeywordClassifier(ConfigFiles.load(Path.of(properties.keywordsFile()), KeywordLists.class, validator)),
                messageLayers(properties, validator));
    }

    @Bean
    ConversationFlow conversationFlow(HubProperties properties) {
        return ConversationFlowLoader.load(Path.of(properties.fsmFile()));
    }

    @Bean
    @SuppressWarnings("unchecked")
    ReplyTemplates replyTemplates(HubProperties properties, BusinessProfile business, Validator validator) {
        return new ReplyTemplates(ConfigFiles.load(Path.of(properties.conversation().repliesFile()), java.util.Map.class, validator), business);
    }

    @Bean
    @SuppressWarnings("unchecked")
    Outreach outreach(HubProperties properties, Validator validator, ReplyTemplates replies, AiReplies ai, ConversationFlow flow,
            com.retentionhub.template.MessageTemplates templates, org.apache.camel.ProducerTemplate producer,
            io.micrometer.core.instrument.MeterRegistry meters) {
        return new Outreach(ConfigFiles.load(Path.of(properties.outreachFile()), java.util.Map.class, validator), replies, ai, flow, templates,
                producer, meters, properties);
    }

    @Bean
    MessageLayers messageLayers(HubProperties properties, Validator validator) {
        return new MessageLayers(ConfigFiles.load(Path.of(properties.phrasesFile()), PhraseLists.class, validator));
    }
}
