package io.redotrail.trail.crypto;

import io.redotrail.core.BinaryWriter;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Encrypts the images of ROW records (ENCRYPTTRAIL) with AES-GCM. The sealed bytes of one record
 * (docs/trail-format.md, "Encrypted ROW records"):
 * <pre>
 * u8        algorithm      1 AES128, 2 AES192, 3 AES256 ({@link TrailCipher})
 * u16+UTF-8 key name       of the master key in the key file ({@link TrailKeys})
 * 16 bytes  salt           data key = first 16/24/32 bytes of HMAC-SHA256(master key, "redotrail trail key" || algorithm || salt)
 * 12 bytes  nonce          u32 0, u64 counter of records sealed under this data key
 * ...       ciphertext     AES-GCM of the image mask and images, with its 16-byte tag at the end
 * </pre>
 * The additional authenticated data is the record's clear fields (IOType, CSN, commit time, XID, table name), so a
 * record whose header was altered, or moved under another header, does not decrypt. A fresh random salt (so a
 * fresh data key) is drawn at construction, at each {@link #renew()} (each new trail file) and every
 * {@value #MAX_RECORDS_PER_KEY} records; the counter nonce never repeats under one data key and the master key
 * itself encrypts nothing. Not thread-safe: one writer (or one connection) owns a sealer.
 */
public final class RecordSealer {
    static final byte[] LABEL = "redotrail trail key".getBytes(StandardCharsets.US_ASCII);
    static final int SALT_BYTES = 16, NONCE_BYTES = 12, TAG_BITS = 128;
    /** Records under one data key before a new salt: far below GCM's limits for counter nonces. */
    static final long MAX_RECORDS_PER_KEY = 1L << 32;

    private final TrailCipher cipher;
    private final String keyName;
    private final byte[] master;
    private final SecureRandom random;
    private final Cipher gcm;
    private final byte[] salt = new byte[SALT_BYTES];
    private final byte[] nonce = new byte[NONCE_BYTES];
    private final BinaryWriter header = new BinaryWriter(128);
    private SecretKeySpec dataKey;
    private long counter;

    private RecordSealer(TrailCipher cipher, TrailKeys.Key key, SecureRandom random) {
        this.cipher = cipher;
        this.keyName = key.name();
        this.master = key.bytes();
        this.random = random;
        try {
            this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JVM", e);
        }
        renew();
    }

    /**
     * The sealer for master key {@code keyName} of {@code keys}: OGG-06400 when the file lacks it, RTR-01252 when
     * the key is shorter than the algorithm's key (a 128-bit master key cannot give AES256 its strength).
     */
    public static RecordSealer of(TrailKeys keys, String keyName, TrailCipher cipher) {
        TrailKeys.Key key = keys.key(keyName, "ENCRYPTTRAIL " + cipher + ", KEYNAME " + keyName);
        if (key.bytes().length < cipher.keyBytes()) {
            throw new TrailKeyException("RTR-01252 key " + key.name() + " in key file " + keys.file() + " has "
                    + key.bytes().length * 8 + " bits, fewer than " + cipher + " needs: ENCRYPTTRAIL AES"
                    + key.bytes().length * 8 + " or a longer key (bin/redotrail keygen)");
        }
        return new RecordSealer(cipher, key, new SecureRandom());
    }

    public String keyName() {
        return keyName;
    }

    public TrailCipher cipher() {
        return cipher;
    }

    /** A new data key (new random salt) from here on: the writer calls it for each new trail file. */
    public void renew() {
        random.nextBytes(salt);
        dataKey = new SecretKeySpec(deriveKey(master, cipher, salt), "AES");
        counter = 0;
    }

    /**
     * Writes the sealed bytes (layout above) of {@code plain[off, off+len)} with {@code aad[0, aadLen)} to {@code out}.
     */
    public void seal(byte[] aad, int aadLen, byte[] plain, int off, int len, BinaryWriter out) {
        if (counter == MAX_RECORDS_PER_KEY) renew();
        long n = counter++;
        for (int i = 0; i < 8; i++) nonce[4 + i] = (byte) (n >>> (56 - 8 * i));
        header.clear();
        header.u8(cipher.code()).shortString(keyName).bytes(salt).bytes(nonce);
        byte[] sealed;
        try {
            gcm.init(Cipher.ENCRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad, 0, aadLen);
            sealed = gcm.doFinal(plain, off, len);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM encryption failed: " + e.getClass().getSimpleName(), e);
        }
        out.i32(header.position() + sealed.length);
        out.bytes(header.toByteArray());
        out.bytes(sealed);
    }

    static byte[] deriveKey(byte[] master, TrailCipher cipher, byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            mac.update(LABEL);
            mac.update((byte) cipher.code());
            mac.update(salt);
            byte[] full = mac.doFinal();
            byte[] key = java.util.Arrays.copyOf(full, cipher.keyBytes());
            java.util.Arrays.fill(full, (byte) 0);
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "RecordSealer[" + cipher + ", key " + keyName + "]";
    }
}
