package io.redotrail.control.group;

import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.report.ReportFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameter echo at the start of a group's report, as GoldenGate writes it: a banner "Running with the
 * following parameters", then each line of the parameter file as written (blank lines left out), every
 * {@code PASSWORD word} masked. Written before the statements are checked, so the report shows what was read
 * when a statement is refused. Stateless.
 */
final class ParamEcho {
    static final String STARS = "***********************************************************************";
    static final String BANNER = "**            Running with the following parameters                  **";

    private ParamEcho() {
    }

    static List<String> lines(Path prm) {
        List<String> out = new ArrayList<>(List.of("", STARS, BANNER, STARS, ""));
        try {
            for (String l : Files.readAllLines(prm, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) out.add(CredentialStore.maskPasswords(l.stripTrailing()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read parameter file " + prm, e);
        }
        out.add("");
        return out;
    }

    static void write(ReportFile report, Path prm) {
        report.echo(lines(prm));
    }
}
