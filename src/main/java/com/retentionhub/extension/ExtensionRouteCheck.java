package com.retentionhub.extension;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Checks extension route files ({@code ext-*.camel.yaml}) before Camel loads them, so a mistake
 * refuses start-up (or a reload) with the file, the line and the reason in one message instead of
 * a stack trace from deep inside Camel: YAML that does not parse, a route without an {@code ext-}
 * id or with one already taken, an endpoint whose component the hub does not have, a Kamelet found
 * neither in {@code connectors/} nor in Camel's catalog, and any endpoint that reaches the database
 * directly (extension routes go through the {@code hub:} endpoints).
 */
public class ExtensionRouteCheck {

    /** File names of extension routes; the hub's own never start so. */
    public static final String PREFIX = "ext-";

    /** Keys whose scalar value is an endpoint URI in the YAML DSL. */
    private static final Set<String> URI_KEYS = Set.of("uri", "to", "toD", "from", "wireTap", "enrich", "pollEnrich");

    /** Components that run SQL; an extension route must use the hub: endpoints instead. */
    private static final Set<String> DATABASE_COMPONENTS = Set.of("sql", "sql-stored", "jdbc", "spring-jdbc", "jpa", "jooq", "mybatis",
            "mybatis-bean", "elsql");

    /** A refused extension route: its message names the file, the line and the reason. */
    public static class InvalidExtensionRoute extends RuntimeException {
        public InvalidExtensionRoute(String message) {
            super(message, null, false, false);
        }
    }

    private final CamelContext camel;
    private final List<Path> connectors;

    /** {@code connectors}: the file-system folders of the Kamelet location, in its order (the catalog comes after them). */
    public ExtensionRouteCheck(CamelContext camel, List<Path> connectors) {
        this.camel = camel;
        this.connectors = connectors;
    }

    /**
     * Checks every extension file against the hub's route ids ({@code hubRouteIds}) and each other;
     * returns the problems, one line each ({@code <file> line <n>: <reason>}), empty when all are good.
     */
    public List<String> problems(List<Path> extensionFiles, Set<String> hubRouteIds) {
        List<String> problems = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Path file : extensionFiles) {
            check(file, hubRouteIds, seen, problems);
        }
        return problems;
    }

    /** As {@link #problems}, refusing with all of them in one message. */
    public void require(List<Path> extensionFiles, Set<String> hubRouteIds) {
        List<String> problems = problems(extensionFiles, hubRouteIds);
        if (!problems.isEmpty()) {
            throw new InvalidExtensionRoute("Extension route refused: " + String.join("; ", problems));
        }
    }

    private void check(Path file, Set<String> hubRouteIds, Map<String, String> seen, List<String> problems) {
        Node root;
        try (Reader in = Files.newBufferedReader(file)) {
            root = new Yaml(new LoaderOptions()).compose(in);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            problems.add(file + " line " + line + ": does not parse as YAML: " + e.getProblem());
            return;
        } catch (IOException e) {
            problems.add(file + " line 1: cannot be read: " + e.getMessage());
            return;
        }
        if (!(root instanceof SequenceNode list) || list.getValue().isEmpty()) {
            problems.add(file + " line 1: an extension file is a YAML list with one '- route:'");
            return;
        }
        for (Node item : list.getValue()) {
            Node route = item instanceof MappingNode m ? value(m, "route") : null;
            if (route == null) {
                problems.add(
                        file + " line " + line(item) + ": each entry must be a '- route:' with an id (no beans, templates or rests here)");
                continue;
            }
            checkId(file, route, hubRouteIds, seen, problems);
            walk(file, route, problems);
        }
    }

    private void checkId(Path file, Node route, Set<String> hubRouteIds, Map<String, String> seen, List<String> problems) {
        Node idNode = route instanceof MappingNode m ? value(m, "id") : null;
        if (!(idNode instanceof ScalarNode idScalar) || idScalar.getValue().isBlank()) {
            problems.add(file + " line " + line(route) + ": the route has no id (give it the file name, which starts with " + PREFIX + ")");
            return;
        }
        String id = idScalar.getValue().trim();
        if (hubRouteIds.contains(id)) {
            problems.add(file + " line " + line(idNode) + ": route id '" + id + "' clashes with a hub route");
        } else if (!id.startsWith(PREFIX)) {
            problems.add(file + " line " + line(idNode) + ": route id '" + id + "' must start with " + PREFIX
                    + " so it never clashes with a hub route");
        } else if (seen.containsKey(id)) {
            problems.add(file + " line " + line(idNode) + ": route id '" + id + "' is already used in " + seen.get(id));
        } else {
            seen.put(id, file.toString());
        }
    }

    private void walk(Path file, Node node, List<String> problems) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && URI_KEYS.contains(k.getValue()) && t.getValueNode() instanceof ScalarNode v) {
                    String reason = endpointProblem(
                            withParameters(v.getValue(), k.getValue().equals("uri") ? value(m, "parameters") : null));
                    if (reason != null) {
                        problems.add(file + " line " + line(v) + ": " + reason);
                    }
                }
                walk(file, t.getValueNode(), problems);
            }
        } else if (node instanceof SequenceNode s) {
            s.getValue().forEach(n -> walk(file, n, problems));
        }
    }

    /** The URI with the canonical form's {@code parameters} (scalars only) as its query, so they are checked too. */
    private static String withParameters(String uri, Node parameters) {
        if (!(parameters instanceof MappingNode p)) {
            return uri;
        }
        StringBuilder query = new StringBuilder();
        for (NodeTuple t : p.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof ScalarNode v) {
                query.append(query.length() == 0 ? "" : "&").append(k.getValue()).append('=').append(v.getValue());
            }
        }
        return query.length() == 0 ? uri : uri + (uri.contains("?") ? "&" : "?") + query;
    }

    /** Why this URI cannot work, or null when it can. */
    String endpointProblem(String raw) {
        String uri;
        try {
            uri = camel.resolvePropertyPlaceholders(raw.trim());
        } catch (RuntimeException e) {
            return "endpoint '" + raw + "' names a setting that is not defined (" + e.getMessage() + ")";
        }
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            return "'" + raw + "' is not an endpoint URI (scheme:path)";
        }
        String scheme = uri.substring(0, colon);
        if (DATABASE_COMPONENTS.contains(scheme)) {
            return "endpoint '" + scheme + ":' reaches the database; extension routes go through the hub: endpoints (docs/extending.md)";
        }
        if (!componentExists(scheme)) {
            return "unknown endpoint '" + raw + "': the hub has no component '" + scheme + "'";
        }
        if (scheme.equals("hub")) {
            String path = uri.substring(colon + 1).split("\\?", 2)[0];
            try {
                HubEndpoint.Capability capability = HubEndpoint.Capability.of(path);
                String query = uri.contains("?") ? uri.substring(uri.indexOf('?') + 1) : "";
                if (capability == HubEndpoint.Capability.EVENTS) {
                    for (String param : query.split("&")) {
                        if (param.startsWith("types=")) {
                            HubEndpoint probe = new HubEndpoint("hub:events", null, capability);
                            probe.setTypes(param.substring("types=".length()));
                            probe.typeSet();
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                return "unknown endpoint '" + raw + "': " + e.getMessage();
            }
        }
        if (scheme.equals("kamelet")) {
            String name = uri.substring(colon + 1).split("[/?]", 2)[0];
            if (!name.equals("source") && !name.equals("sink") && !kameletExists(name)) {
                return "unknown Kamelet '" + name + "': neither connectors/" + name + ".kamelet.yaml nor in the Kamelet catalog";
            }
        }
        return null;
    }

    private boolean componentExists(String scheme) {
        if (camel.hasComponent(scheme) != null || camel.getRegistry().lookupByNameAndType(scheme, Component.class) != null) {
            return true;
        }
        return camel.getApplicationContextClassLoader() != null
                ? camel.getApplicationContextClassLoader().getResource("META-INF/services/org/apache/camel/component/" + scheme) != null
                : ExtensionRouteCheck.class.getClassLoader().getResource("META-INF/services/org/apache/camel/component/" + scheme) != null;
    }

    /** The hub's connectors first, then the catalog on the classpath (the Kamelet location's order). */
    boolean kameletExists(String name) {
        return connectors.stream().anyMatch(folder -> Files.isRegularFile(folder.resolve(name + ".kamelet.yaml")))
                || ExtensionRouteCheck.class.getClassLoader().getResource("kamelets/" + name + ".kamelet.yaml") != null;
    }

    private static Node value(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    /** The route ids of YAML route files (the hub's: those not starting with {@link #PREFIX}). */
    public static List<String> routeIds(Path file) {
        List<String> ids = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file)) {
            if (new Yaml(new LoaderOptions()).compose(in) instanceof SequenceNode list) {
                for (Node item : list.getValue()) {
                    if (item instanceof MappingNode m && value(m, "route") instanceof MappingNode r
                            && value(r, "id") instanceof ScalarNode id) {
                        ids.add(id.getValue().trim());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the hub's own files are checked by Camel as it loads them
        }
        return ids;
    }
}
