package com.retentionhub.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.RetentionHubApplication;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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

    /** Modulith checks cycles between modules; this checks them between every two packages, sub-packages included. */
    @Test
    void shouldHaveNoCycleBetweenPackages() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.retentionhub");
        SlicesRuleDefinition.slices().matching("com.retentionhub.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void shouldDrawTheModuleDiagramsIntoDocs() throws IOException {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(DOCS.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        try (Stream<Path> files = Files.list(DOCS)) {
            for (Path f : files.toList()) {
                Files.writeString(f, stable(Files.readString(f)));
            }
        }
        String all = Files.readString(DOCS.resolve("components.puml"));
        for (ApplicationModule module : MODULES) {
            assertThat(all).as("the overview draws %s", module.getDisplayName()).contains(module.getDisplayName());
            assertThat(DOCS.resolve("module-" + module.getIdentifier() + ".puml")).exists();
        }
    }

    @Test
    void shouldDrawTheSameDiagramWhateverOrderTheModulesCameIn() {
        assertThat(stable("a\n  Component(B)\n  Component(A)\n}\nRel(B, A)\nRel(A, B)\n|* `c.B`\n* `c.A`\n|x"))
                .isEqualTo("a\n  Component(A)\n  Component(B)\n}\nRel(A, B)\nRel(B, A)\n|* `c.A`\n* `c.B`\n|x");
    }

    /**
     * The Documenter lists modules, relations and types in hash order, which changes from run to run;
     * each run of such lines is sorted so a build leaves {@code docs/modules} unchanged unless the
     * structure changed. A list's first item carries the table cell's bar, which stays first.
     */
    static String stable(String document) {
        List<String> lines = new ArrayList<>(List.of(document.split("\n", -1)));
        int i = 0;
        while (i < lines.size()) {
            String kind = kind(lines.get(i));
            int end = i + 1;
            while (kind != null && end < lines.size() && kind.equals(kind(lines.get(end))) && !lines.get(end).startsWith("|")) {
                end++;
            }
            if (kind != null && end - i > 1) {
                boolean bar = lines.get(i).startsWith("|");
                List<String> run = new ArrayList<>(
                        lines.subList(i, end).stream().map(l -> bar ? l.replaceFirst("^\\|", "") : l).sorted().toList());
                if (bar) {
                    run.set(0, "|" + run.get(0));
                }
                for (int j = i; j < end; j++) {
                    lines.set(j, run.get(j - i));
                }
            }
            i = end;
        }
        return String.join("\n", lines);
    }

    private static String kind(String line) {
        String l = line.startsWith("|") ? line.substring(1) : line;
        for (String prefix : List.of("  Component(", "Rel(", "* `")) {
            if (l.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }
}
