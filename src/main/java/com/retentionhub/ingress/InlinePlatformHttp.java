package com.retentionhub.ingress;

import com.retentionhub.platform.web.FormBody;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.apache.camel.http.common.DefaultHttpBinding;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.DeferredResultMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Runs platform-http exchanges (the webhooks) on the servlet thread that received them.
 *
 * <p>By default Camel hands every request to a task pool and Spring MVC finishes it with an async
 * re-dispatch: two thread hand-offs and a second pass through the filter chain per webhook. A
 * webhook's own work is small (verify, queue for the group commit, wait for it), so under load the
 * hand-offs cost more than the work: with replies running they were about a fifth of the hub's CPU.
 * Tomcat's threads (200) are already sized for requests that wait on the group commit.
 */
@Configuration(proxyBeanMethods = false)
public class InlinePlatformHttp {

    /**
     * Replaces Camel's engine (it backs off when one is defined): same engine, a calling-thread
     * executor, and no form parsing of Camel's own. Camel would copy every form field into a header
     * with {@code URLDecoder}, which throws on a bad escape ({@code Body=%zz}) before any route or
     * error policy runs: a 500 with a stack trace. The hub reads forms itself, strictly
     * ({@link FormBody}), and answers 400.
     */
    @Bean(name = "platform-http-engine")
    PlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SpringBootPlatformHttpEngine(port, Runnable::run) {
            @Override
            public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
                PlatformHttpConsumer consumer = super.createConsumer(endpoint, processor);
                withoutFormMapping(consumer);
                return consumer;
            }
        };
    }

    /** WORKAROUND(camel-platform-http-starter 4.17): the consumer's binding is private and has no endpoint option for this. */
    static void withoutFormMapping(PlatformHttpConsumer consumer) {
        try {
            Field field = SpringBootPlatformHttpConsumer.class.getDeclaredField("binding");
            field.setAccessible(true);
            ((DefaultHttpBinding) field.get(consumer)).setMapHttpMessageFormUrlEncodedBody(false);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot turn off Camel's form parsing on " + consumer.getClass().getName(), e);
        }
    }

    /**
     * The platform-http handler returns a future; run inline it is done before Spring MVC sees it. A
     * done future means the response is written, so the request ends here instead of going async.
     */
    @Bean
    static BeanPostProcessor completedFutures() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(adapter.getReturnValueHandlers());
                    // Spring's handler for futures (and deferred results): the way a future that is not done still goes.
                    HandlerMethodReturnValueHandler async = handlers.stream()
                            .filter(DeferredResultMethodReturnValueHandler.class::isInstance)
                            .findFirst().orElseThrow();
                    handlers.add(0, new CompletedFuture(async));
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }

    /** A successfully completed future is a finished request; anything else goes the async way as before. */
    static final class CompletedFuture implements HandlerMethodReturnValueHandler {

        private final HandlerMethodReturnValueHandler async;

        CompletedFuture(HandlerMethodReturnValueHandler async) {
            this.async = async;
        }

        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return CompletableFuture.class.isAssignableFrom(returnType.getParameterType());
        }

        @Override
        public void handleReturnValue(Object value, MethodParameter returnType, ModelAndViewContainer container, NativeWebRequest request)
                throws Exception {
            if (value instanceof CompletableFuture<?> future && future.isDone() && !future.isCompletedExceptionally()) {
                container.setRequestHandled(true);
                return;
            }
            async.handleReturnValue(value, returnType, container, request);
        }
    }
}
