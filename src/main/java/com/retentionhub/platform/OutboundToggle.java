package com.retentionhub.platform;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;

/**
 * The live switch for everything outbound. Off: messages are recorded as simulated and nothing
 * leaves. Read on every send, so ops (and tests) can flip it without a restart.
 */
@Component
public class OutboundToggle {

    private final AtomicBoolean live;

    public OutboundToggle(HubProperties properties) {
        this.live = new AtomicBoolean(properties.outboundLiveEnabled());
    }

    public boolean isLive() {
        return live.get();
    }

    public void setLive(boolean value) {
        live.set(value);
    }
}
