package com.retentionhub.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.RetentionHubApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The hub's modules (each top-level package under {@code com.retentionhub}) as Spring Modulith sees
 * them: no cycle between modules, and no module reaching into another's sub-packages unless that
 * sub-package is a named interface ({@code dispatch.policy}, {@code connector.vapi}) or the module is
 * open ({@code platform}, the shared kernel). The build also redraws the module diagrams in
 * {@code docs/modules}, so they are never out of date.
 */
class ModuleStructureTest {

    static final ApplicationModules MODULES = ApplicationModules.of(RetentionHubApplication.class);
    static final Path DOCS = Path.of("docs/modules");

    @Test
    void shouldKeepEveryModuleInsideItsBoundaries() {
        MODULES.verify();
    }

    @Test
    void shouldDrawTheModuleDiagramsIntoDocs() throws IOException {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(DOCS.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        String all = Files.readString(DOCS.resolve("components.puml"));
        for (ApplicationModule module : MODULES) {
            assertThat(all).as("the overview draws %s", module.getDisplayName()).contains(module.getDisplayName());
            assertThat(DOCS.resolve("module-" + module.getIdentifier() + ".puml")).exists();
        }
    }
}
