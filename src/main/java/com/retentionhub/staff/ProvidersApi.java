package com.retentionhub.staff;

import com.retentionhub.dispatch.ProviderDrains;
import com.retentionhub.dispatch.Providers;
import com.retentionhub.platform.HubProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The configured providers with their breaker state, and draining one: ops take a provider out of
 * service (an incident at the provider, a number being moved) and put it back. While it is drained
 * its channel's secondary carries the traffic, or, without one, messages wait in the outbox.
 */
@RestController
public class ProvidersApi {

    /** One provider as ops see it; {@code drained} is absent while it is in service. */
    public record ProviderView(String name, String channel, List<String> order, String breaker, ProviderDrains.Drain drained) {}

    public record DrainRequest(@Size(max = 500) String reason) {}

    private final Map<String, HubProperties.Provider> configured;
    private final Providers providers;
    private final ProviderDrains drains;

    public ProvidersApi(HubProperties properties, Providers providers, ProviderDrains drains) {
        this.configured = properties.dispatch().providers();
        this.providers = providers;
        this.drains = drains;
    }

    @GetMapping("/api/providers")
    public List<ProviderView> list() {
        return configured.keySet().stream().sorted().map(this::view).toList();
    }

    @GetMapping("/api/providers/{name}")
    public ProviderView get(@PathVariable("name") String name) {
        return view(known(name));
    }

    /** Idempotent: draining a drained provider keeps the first drain's actor and reason. */
    @PostMapping("/api/providers/{name}/drain")
    public ProviderView drain(@PathVariable("name") String name, @Valid @RequestBody(required = false) DrainRequest request,
            Principal who) {
        drains.drain(known(name), who == null ? null : who.getName(), request == null ? null : request.reason());
        return view(name);
    }

    @PostMapping("/api/providers/{name}/resume")
    public ProviderView resume(@PathVariable("name") String name) {
        drains.resume(known(name));
        return view(name);
    }

    private String known(String name) {
        if (!configured.containsKey(name)) {
            throw ApiProblem.notFound("provider", name);
        }
        return name;
    }

    private ProviderView view(String name) {
        String channel = configured.get(name).channel();
        return new ProviderView(name, channel, providers.forChannel(channel), providers.breaker(name).getState().name(),
                drains.get(name).orElse(null));
    }
}
