package io.redotrail.control.params;

import io.redotrail.trail.crypto.TrailCipher;
import io.redotrail.trail.crypto.TrailKeyException;
import io.redotrail.trail.crypto.TrailKeys;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Trail encryption statements (docs/parameters.md, "Trail encryption"):
 * {@code ENCRYPTTRAIL [AES128 | AES192 | AES256] [, KEYNAME name]} and {@code NOENCRYPTTRAIL} for the trail an
 * Extract or pump writes, {@code DECRYPTTRAIL [algorithm] [, KEYNAME name]} for the trail a pump reads (a Replicat
 * always decrypts; it accepts the statement). Each record names its key, so DECRYPTTRAIL's options are only
 * checked. The key ENCRYPTTRAIL names must be in {@code <home>/ENCKEYS} now, or the start stops here, at the
 * statement's file and line. Stateless.
 */
final class EncryptionParams {
    private EncryptionParams() {
    }

    static void apply(Param p, GroupKind kind, Path home, BiConsumer<String, String> put) {
        String prefix = kind == GroupKind.EXTRACT ? "redotrail.extract." : "redotrail.pump.";
        switch (p.name()) {
            case "NOENCRYPTTRAIL" -> {
                ParamSpec.noValue(p);
                put.accept(prefix + "encrypt", "");
            }
            case "ENCRYPTTRAIL" -> {
                Options o = options(p);
                try {
                    TrailKeys keys = TrailKeys.load(TrailKeys.defaultFile(home));
                    if (!keys.contains(o.keyName)) {
                        throw p.error("OGG-06400 The key specified with KEYNAME is not present in the ENCKEYS file: key "
                                + o.keyName + " is not in " + keys.file() + " (add one: bin/redotrail keygen --home "
                                + home + " " + o.cipher.keyBytes() * 8 + " " + o.keyName + ")");
                    }
                } catch (TrailKeyException e) {
                    throw p.error(e.getMessage());
                }
                put.accept(prefix + "encrypt", o.cipher.name());
                put.accept(prefix + "keyName", o.keyName);
            }
            case "DECRYPTTRAIL" -> {
                options(p);
                if (kind == GroupKind.PUMP) put.accept("redotrail.pump.decrypt", "true");
            }
            default -> throw new IllegalStateException(p.name() + " is not a trail encryption statement");
        }
    }

    private record Options(TrailCipher cipher, String keyName) {
    }

    private static Options options(Param p) {
        List<String> w = ParamSpec.words(p.value());
        TrailCipher cipher = TrailCipher.DEFAULT;
        String keyName = TrailKeys.DEFAULT_KEY;
        for (int i = 0; i < w.size(); i++) {
            String word = w.get(i).toUpperCase(Locale.ROOT);
            if (word.equals("KEYNAME")) {
                keyName = ParamSpec.argument(p, w, ++i);
            } else if (word.startsWith("AES") && i == 0) {
                try {
                    cipher = TrailCipher.parse(word);
                } catch (IllegalArgumentException e) {
                    throw p.error(e.getMessage());
                }
            } else {
                throw p.error("unknown option '" + w.get(i) + "' (expected " + p.name() + " [AES128 | AES192 | AES256] [, KEYNAME name])");
            }
        }
        return new Options(cipher, keyName);
    }
}
