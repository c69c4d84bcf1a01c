package io.redotrail.trail.crypto;

import io.redotrail.core.BinaryReader;
import io.redotrail.core.CorruptFileException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decrypts what {@link RecordSealer} sealed, with the master keys of a {@link TrailKeys} (DECRYPTTRAIL, a
 * Replicat, logdump's ENCRYPT ON). A key name missing from the key file is OGG-06400, a record that does not
 * decrypt (another key under that name, an altered record or header) RTR-01251; both name the trail file, seqno,
 * RBA and key name and stop reading there. Data keys are derived once per (key, salt) and kept for the last
 * {@value #CACHE} salts. Not thread-safe: one reader owns an opener.
 */
public final class RecordOpener {
    private static final int CACHE = 64;

    private final TrailKeys keys;
    private final Cipher gcm;
    private final Map<String, SecretKeySpec> dataKeys = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SecretKeySpec> e) {
            return size() > CACHE;
        }
    };

    public RecordOpener(TrailKeys keys) {
        this.keys = keys;
        try {
            this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        }
    }

    public TrailKeys keys() {
        return keys;
    }

    /** The key name a sealed record names (without decrypting it); null if its bytes are too short to say. */
    public static String keyName(byte[] sealed) {
        try {
            return header(sealed, null, 0).keyName;
        } catch (CorruptFileException e) {
            return null;
        }
    }

    /**
     * The image mask and images {@code sealed} holds, authenticated with {@code aad[0, aadLen)}. {@code file} and
     * {@code rba}: the record's trail file and RBA, for messages.
     */
    public byte[] open(byte[] sealed, byte[] aad, int aadLen, Path file, long rba) {
        Header h = header(sealed, file, rba);
        String where = "record at trail file " + file + " (seqno " + seqno(file) + ") RBA " + rba;
        TrailKeys.Key master = keys.key(h.keyName, where);
        String id = master.name().toUpperCase(Locale.ROOT) + "/" + h.cipher.code() + "/" + HexFormat.of().formatHex(h.salt);
        SecretKeySpec dataKey = dataKeys.get(id);
        if (dataKey == null) {
            if (master.bytes().length < h.cipher.keyBytes()) throw failed(h, where);
            dataKey = new SecretKeySpec(RecordSealer.deriveKey(master.bytes(), h.cipher, h.salt), "AES");
            dataKeys.put(id, dataKey);
        }
        try {
            gcm.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(RecordSealer.TAG_BITS, sealed, h.nonceAt,
                    RecordSealer.NONCE_BYTES));
            gcm.updateAAD(aad, 0, aadLen);
            return gcm.doFinal(sealed, h.dataAt, sealed.length - h.dataAt);
        } catch (AEADBadTagException e) {
            throw failed(h, where);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM decryption failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private TrailKeyException failed(Header h, String where) {
        return new TrailKeyException("RTR-01251 Cannot decrypt the " + where + " with key " + h.keyName + " (" + h.cipher
                + ") of key file " + keys.file() + ": the key under that name is not the one the record was encrypted"
                + " with, or the record was altered. Nothing from this record on is processed");
    }

    private static String seqno(Path file) {
        String n = file == null || file.getFileName() == null ? "" : file.getFileName().toString();
        return n.length() == 11 ? String.valueOf(Long.parseLong(n.substring(2))) : "?";
    }

    private record Header(TrailCipher cipher, String keyName, byte[] salt, int nonceAt, int dataAt) {
    }

    private static Header header(byte[] sealed, Path file, long rba) {
        BinaryReader r = new BinaryReader(sealed, 0, sealed.length, file, rba);
        int code = r.u8("encryption algorithm");
        TrailCipher c = TrailCipher.ofCode(code);
        if (c == null) throw r.corrupt("unknown encryption algorithm " + code + " in an encrypted record");
        String name = r.shortString("key name");
        byte[] salt = r.bytes(RecordSealer.SALT_BYTES, "salt");
        int nonceAt = sealed.length - r.remaining();
        r.bytes(RecordSealer.NONCE_BYTES, "nonce");
        if (r.remaining() < RecordSealer.TAG_BITS / 8) throw r.corrupt("encrypted images shorter than their tag");
        return new Header(c, name, salt, nonceAt, sealed.length - r.remaining());
    }
}
