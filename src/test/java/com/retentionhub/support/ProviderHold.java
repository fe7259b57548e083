package com.retentionhub.support;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WireMock transformer that lets a stub's first requests through and then holds the rest until
 * the test releases them, so a test can make "the provider is still busy with the batch" happen
 * on purpose instead of hoping a delay is long enough on a loaded machine. Stubs opt in with
 * {@code withTransformers(ProviderHold.NAME)}.
 */
public final class ProviderHold implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "provider-hold";
    /** Below the Twilio SDK's read timeout, so a test that forgets to release never turns sends into timeouts. */
    private static final Duration LONGEST_HOLD = Duration.ofSeconds(25);

    private final AtomicInteger passed = new AtomicInteger();
    private volatile int passFirst = Integer.MAX_VALUE;
    private volatile CountDownLatch released = new CountDownLatch(0);

    /** From now on, lets {@code passFirst} requests through and holds every later one until {@link #release()}. */
    public void holdAfter(int passFirst) {
        passed.set(0);
        released = new CountDownLatch(1);
        this.passFirst = passFirst;
    }

    /** How many requests went through since {@link #holdAfter(int)}. */
    public int passed() {
        return passed.get();
    }

    public void release() {
        passFirst = Integer.MAX_VALUE;
        released.countDown();
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        if (passed.incrementAndGet() > passFirst) {
            passed.decrementAndGet();
            try {
                released.await(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return serveEvent.getResponseDefinition();
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
