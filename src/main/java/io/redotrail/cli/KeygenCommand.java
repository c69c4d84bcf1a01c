package io.redotrail.cli;

import io.redotrail.trail.crypto.TrailKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code keygen BITS NAME...}: GoldenGate's keygen, writing the keys where ENCRYPTTRAIL finds them instead of
 * printing them: each NAME gets a new random key of BITS (128, 192, 256) appended to {@code <home>/ENCKEYS}
 * (created owner-only, 0600). The keys are never shown; a name already in the file is refused. Copy the file to
 * every home that reads the trail (docs/parameters.md, "Trail encryption").
 */
@Command(name = "keygen", description = {"Add trail encryption keys to <home>/ENCKEYS (ENCRYPTTRAIL ..., KEYNAME name).",
        "Each NAME gets a new random key of BITS bits; the file is created readable by its owner only; keys are never printed."})
final class KeygenCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--file", paramLabel = "FILE", description = "key file (default: <home>/ENCKEYS)")
    Path file;

    @Parameters(index = "0", paramLabel = "BITS", description = "key length: 128, 192 or 256")
    int bits;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME", description = "key names ([A-Za-z0-9_], up to 64)")
    List<String> names;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path f = file != null ? file : TrailKeys.defaultFile(common.settings().home());
        SecureRandom random = new SecureRandom();
        for (String name : names) {
            try {
                TrailKeys.generate(f, name, bits, random);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            System.out.println("Key " + name + " (" + bits + " bits) added to " + f.toAbsolutePath());
        }
        return 0;
    }
}
