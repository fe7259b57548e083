package com.retentionhub.extension;

import com.retentionhub.platform.BusinessEvents;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The business event types a route may subscribe to: those {@link BusinessEvents} publishes (config/events.schema.json). */
final class EventTypes {

    private EventTypes() {}

    static Set<String> wireNames() {
        return Arrays.stream(BusinessEvents.Type.values()).map(BusinessEvents.Type::wire).collect(Collectors.toCollection(TreeSet::new));
    }
}
