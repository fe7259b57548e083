package com.retentionhub.extension;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's route reload for one folder's extension files ({@code ext-*.camel.yaml}), with the
 * start-up check first: a saved file with a mistake is refused with its file, line and reason in
 * one log line, and the routes that ran keep running. Only extension files are watched, and only
 * the saved file's routes are replaced (never all routes: that would remove the hub's Java routes).
 */
class CheckedRouteReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(CheckedRouteReload.class);

    private final ExtensionRoutes routes;
    private final ExtensionRouteCheck check;

    CheckedRouteReload(Path folder, ExtensionRoutes routes, ExtensionRouteCheck check) {
        super(folder.toString(), false);
        setPattern(ExtensionRouteCheck.PREFIX + "*.camel.yaml");
        setRemoveAllRoutes(false);
        this.routes = routes;
        this.check = check;
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        List<Path> files = routes.extensionFiles();
        Set<String> hubIds = routes.hubRouteIds();
        List<String> problems = check.problems(files, hubIds);
        if (!problems.isEmpty()) {
            String refusal = "Extension route reload refused: " + String.join("; ", problems);
            routes.refused(refusal);
            LOG.error(refusal);
            return;
        }
        routes.refused(null);
        LOG.info("reloading extension routes from {}", resources.stream().map(Resource::getLocation).collect(Collectors.joining(", ")));
        super.onRouteReload(resources, false);
    }
}
