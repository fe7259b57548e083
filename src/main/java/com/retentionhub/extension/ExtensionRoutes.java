package com.retentionhub.extension;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Extension routes: {@code ext-*.camel.yaml} files among the route files Camel loads
 * ({@code camel.main.routes-include-pattern}), checked by {@link ExtensionRouteCheck} before Camel
 * loads them, so a bad file refuses start-up with its file, line and reason. With
 * {@code HUB_ROUTES_RELOAD=true} a saved extension file is reloaded without a restart, checked the
 * same way first ({@link CheckedRouteReload}).
 */
@Component
public class ExtensionRoutes implements CamelContextConfiguration {

    private final String includePattern;
    private final String kameletLocation;
    private final boolean reload;
    private volatile String lastRefusal;

    public ExtensionRoutes(@Value("${camel.main.routes-include-pattern:}") String includePattern,
            @Value("${camel.component.kamelet.location:}") String kameletLocation, @Value("${hub.routes.reload:false}") boolean reload) {
        this.includePattern = includePattern;
        this.kameletLocation = kameletLocation;
        this.reload = reload;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        ExtensionRouteCheck check = check(camel);
        check.require(extensionFiles(), hubRouteIds());
        if (reload) {
            for (Path folder : extensionFolders()) {
                try {
                    camel.addService(new CheckedRouteReload(folder, this, check));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot watch " + folder + " for route changes: " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // nothing: everything is checked before the routes load
    }

    ExtensionRouteCheck check(CamelContext camel) {
        return new ExtensionRouteCheck(camel, connectorsFolders());
    }

    /** The file: entries of the Kamelet location: the hub's connectors/. */
    List<Path> connectorsFolders() {
        List<Path> folders = new ArrayList<>();
        for (String entry : kameletLocation.split(",")) {
            String e = entry.trim();
            if (e.startsWith("file:")) {
                folders.add(Path.of(e.substring("file:".length())));
            }
        }
        return folders;
    }

    /** Every route file Camel loads from the file system. */
    List<Path> routeFiles() {
        List<Path> files = new ArrayList<>();
        for (String entry : includePattern.split(",")) {
            String e = entry.trim();
            if (!e.startsWith("file:")) {
                continue;
            }
            Path pattern = Path.of(e.substring("file:".length()));
            Path folder = pattern.getParent() == null ? Path.of(".") : pattern.getParent();
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> list = Files.list(folder)) {
                list.filter(p -> matcher.matches(p.getFileName())).sorted().forEach(files::add);
            } catch (IOException ex) {
                throw new IllegalStateException("cannot list route files in " + folder + ": " + ex.getMessage(), ex);
            }
        }
        return files;
    }

    List<Path> extensionFiles() {
        return routeFiles().stream().filter(ExtensionRoutes::isExtension).toList();
    }

    Set<Path> extensionFolders() {
        Set<Path> folders = new LinkedHashSet<>();
        for (String entry : includePattern.split(",")) {
            String e = entry.trim();
            if (e.startsWith("file:")) {
                Path pattern = Path.of(e.substring("file:".length()));
                folders.add(pattern.getParent() == null ? Path.of(".") : pattern.getParent());
            }
        }
        return folders;
    }

    /** The ids of the hub's own YAML routes (Java routes have ids no extension may take either: ext- keeps them apart). */
    Set<String> hubRouteIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Path file : routeFiles()) {
            if (!isExtension(file)) {
                ids.addAll(ExtensionRouteCheck.routeIds(file));
            }
        }
        return ids;
    }

    /** The last reload's refusal (file, line, reason), or null when the last reload went through. */
    public String lastRefusal() {
        return lastRefusal;
    }

    void refused(String refusal) {
        lastRefusal = refusal;
    }

    static boolean isExtension(Path file) {
        return file.getFileName().toString().startsWith(ExtensionRouteCheck.PREFIX);
    }
}
