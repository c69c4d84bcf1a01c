package io.redotrail.trail.camel;

import io.redotrail.net.compress.Compression;
import io.redotrail.net.compress.CompressionOptions;
import io.redotrail.trail.ReadPositionStore;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.crypto.RecordOpener;
import io.redotrail.trail.crypto.RecordSealer;
import io.redotrail.trail.crypto.TrailCipher;
import io.redotrail.trail.crypto.TrailKeys;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

import java.nio.file.Path;

/** Options of a {@code trail:} endpoint. One instance per endpoint. */
@UriParams
@Configurer
public class TrailConfiguration {
    /** Registry name of the pump's {@link io.redotrail.net.tls.TlsLink} when {@code tls=true}. */
    public static final String TLS_BEAN = "redotrailLinkTls";
    @UriParam(label = "common", description = "Process group name (checkpoint files dirchk/GROUP.cpe or .cpr, file"
            + " header, report file dirrpt/GROUP.rpt, the group's lock)")
    @Metadata(required = true)
    private String group;
    @UriParam(label = "producer", defaultValue = "500",
            description = "Roll over to the next trail file past this many megabytes (1-2000)")
    private int megabytes = 500;
    @UriParam(label = "producer,advanced", defaultValue = "0",
            description = "Maximum trail file size in bytes, overriding megabytes when above 0 (tests)")
    private long maxFileBytes;
    @UriParam(label = "producer", defaultValue = "EXTTRAIL", enums = "EXTTRAIL,RMTTRAIL",
            description = "Trail type recorded in the write checkpoint (EXTTRAIL local, RMTTRAIL remote)")
    private String trailType = "EXTTRAIL";
    @UriParam(label = "consumer,advanced", defaultValue = "30",
            description = "Seconds the newest trail file may end inside a record, not growing, before the reader reports"
                    + " that it waits there (RTR-01004: a writer stopped mid-write, or a damaged length field)")
    private int incompleteTailSecs = 30;
    @UriParam(label = "producer", defaultValue = "10",
            description = "Seconds between checkpoint writes (always at rollover, at a Bounded Recovery checkpoint and at stop)")
    private int checkpointSecs = 10;
    @UriParam(label = "producer,advanced", defaultValue = "false",
            description = "A local trail's fsync runs on a thread of the context (TrailForce[GROUP]) while the route goes on"
                    + " to the next exchange; the checkpoint and the confirmed CSN follow once it returned (the extract's route)")
    private boolean overlapForce;
    @UriParam(label = "producer",
            description = "REPORTCOUNT of the writing group (extract, pump): EVERY n RECORDS | EVERY n SECONDS |"
                    + " EVERY n MINUTES, written to dirrpt/GROUP.rpt as OGG-08549; empty = off (redotrail.reportCount)."
                    + " Spaces in a URI: reportCount=RAW(EVERY 10 SECONDS)")
    private String reportCount = "";
    @UriParam(label = "producer,remote",
            description = "RMTHOST: the target host whose Manager starts a collector that writes this trail in the target"
                    + " home (the path's dirdat/xx names it there); empty = write the trail in this home")
    private String rmtHost = "";
    @UriParam(label = "producer,remote", defaultValue = "7809", description = "MGRPORT: the target Manager's port")
    private int mgrPort = 7809;
    @UriParam(label = "producer,remote", defaultValue = "300",
            description = "TIMEOUT: seconds to wait for the collector's acknowledgement before the connection counts as"
                    + " stalled and is made again")
    private int rmtTimeout = 300;
    @UriParam(label = "producer,remote", defaultValue = "false",
            description = "COMPRESS: compress the frames sent to the collector")
    private boolean compress;
    @UriParam(label = "producer,remote", defaultValue = "LZ4", enums = "LZ4,ZSTD",
            description = "COMPRESSALGORITHM: how COMPRESS compresses, LZ4 (fast) or ZSTD (smaller, more CPU)")
    private String compressAlgorithm = "LZ4";
    @UriParam(label = "producer,remote", defaultValue = "1000",
            description = "COMPRESSTHRESHOLD: frames smaller than this many bytes go uncompressed (0-28000)")
    private int compressThreshold = CompressionOptions.DEFAULT_THRESHOLD;
    @UriParam(label = "producer,remote", defaultValue = "false",
            description = "TLS: TLS 1.3 to the collector, with the TlsLink bound in the registry as " + TLS_BEAN
                    + " (the group process builds it from the parameter file's TLSTRUSTALIAS / TLSKEYALIAS)")
    private boolean tls;
    @UriParam(label = "producer,remote",
            description = "TCPERRS entries over GoldenGate's defaults: ERROR RETRY|ABEND DELAY(centiseconds) MAXRETRIES,"
                    + " ';'-separated, e.g. ECONNREFUSED RETRY 10 50")
    private String tcpErrors = "";
    @UriParam(label = "consumer", defaultValue = "REPLICAT", enums = "EXTRACT,REPLICAT",
            description = "What the reading route is. EXTRACT: a pump, whose trail producer downstream writes the read"
                    + " checkpoint with its write checkpoint in dirchk/GROUP.cpe (a pump route must say so). REPLICAT:"
                    + " any other reader; the read checkpoint is kept by positionStore when given, else the consumer"
                    + " writes dirchk/GROUP.cpr after each exchange the route completed without exception and"
                    + " restarts from it")
    private TrailRole role = TrailRole.REPLICAT;
    @UriParam(label = "consumer", defaultValue = "5000",
            description = "Row changes per exchange (whole transactions; a bigger one comes alone)")
    private int maxBatchOps = 5000;
    @UriParam(label = "consumer", defaultValue = "8", description = "Megabytes of trail read and decoded ahead, on a thread of"
            + " its own, while the route processes the exchange before (records' bytes plus 200 per row change; a spilled"
            + " transaction waits for an empty queue and is read ahead alone); 0 reads on the route's thread only")
    private int readAheadMegabytes = 8;
    @UriParam(label = "consumer", defaultValue = "20", description = "Milliseconds to sleep when the trail has nothing new")
    private long idleDelay = 20;
    @UriParam(label = "consumer", defaultValue = "50000",
            description = "A transaction of more row changes spills to dirtmp/GROUP/ as it is read, so heap use does"
                    + " not grow with transaction size (0 = never)")
    private int spillRows = 50_000;
    @UriParam(label = "consumer",
            description = "role=REPLICAT: bean holding the authoritative start position, e.g. the replicat's checkpoint"
                    + " table: in routes/replicat.yaml the route template's local ReplicatApplier bean, positionStore=#{{replicatApplier}};"
                    + " it also keeps the read checkpoint, so the consumer writes none")
    private ReadPositionStore positionStore;
    @UriParam(label = "producer", enums = "AES128,AES192,AES256",
            description = "ENCRYPTTRAIL: encrypt the row images of every record written with AES-GCM under a data key"
                    + " derived from master key keyName of keyFile (docs/trail-format.md, \"Encrypted ROW records\"); empty ="
                    + " write in the clear. Records read still encrypted (a pump without decrypt) are written unchanged")
    private String encrypt = "";
    @UriParam(label = "producer", defaultValue = TrailKeys.DEFAULT_KEY,
            description = "ENCRYPTTRAIL ..., KEYNAME: the master key of keyFile the writer encrypts with; changing it"
                    + " rotates keys (older records name their own key and still decrypt while it stays in the file)")
    private String keyName = TrailKeys.DEFAULT_KEY;
    @UriParam(label = "consumer", defaultValue = "true",
            description = "Decrypt encrypted records with keyFile (DECRYPTTRAIL; a Replicat always does): a record whose"
                    + " key is missing or wrong stops the group there (OGG-06400, RTR-01251). false: hand them on sealed,"
                    + " images unreadable, for a PASSTHRU pump to copy unchanged")
    private boolean decrypt = true;
    @UriParam(label = "common",
            description = "Key file of trail encryption (GoldenGate's ENCKEYS: lines 'name 0xHEX', owner-only 0600);"
                    + " empty = <home>/ENCKEYS")
    private String keyFile = "";

    public long effectiveMaxFileBytes() {
        if (maxFileBytes > 0) return maxFileBytes;
        if (megabytes < TrailFormat.MIN_MEGABYTES || megabytes > TrailFormat.MAX_MEGABYTES) {
            throw new IllegalArgumentException("megabytes must be " + TrailFormat.MIN_MEGABYTES + "-" + TrailFormat.MAX_MEGABYTES + ": " + megabytes);
        }
        return megabytes == 500 ? TrailFormat.DEFAULT_MAX_FILE_BYTES : megabytes * 1024L * 1024L;
    }

    /** The key file: {@code keyFile}, relative to {@code home}, or {@code <home>/ENCKEYS}. */
    public Path keyFile(Path home) {
        return keyFile == null || keyFile.isBlank() ? TrailKeys.defaultFile(home) : home.resolve(keyFile);
    }

    /** The writer's record encoder: encrypting when {@code encrypt} names an algorithm (the key must exist now). */
    public RowRecords.Encoder encoder(Path home) {
        if (encrypt == null || encrypt.isBlank()) return new RowRecords.Encoder(null);
        return new RowRecords.Encoder(RecordSealer.of(TrailKeys.load(keyFile(home)), keyName, TrailCipher.parse(encrypt)));
    }

    /** The reader's decrypter, reading the key file when the first encrypted record comes; null with decrypt=false. */
    public RecordOpener opener(Path home) {
        return decrypt ? new RecordOpener(TrailKeys.lazy(keyFile(home))) : null;
    }

    /** Rejects impossible combinations with a message naming the endpoint and the option. */
    void validate(String uri) {
        if (group == null || group.isBlank()) throw new IllegalArgumentException("trail endpoint " + uri + " needs option group");
        if (encrypt != null && !encrypt.isBlank()) {
            try {
                TrailCipher.parse(encrypt);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("trail endpoint " + uri + ": option encrypt: " + e.getMessage());
            }
        }
        if (maxBatchOps < 1) throw option(uri, "maxBatchOps", maxBatchOps, "at least 1 (operations a batch holds)");
        if (idleDelay < 0) throw option(uri, "idleDelay", idleDelay, "0 or more milliseconds");
        if (checkpointSecs < 0) throw option(uri, "checkpointSecs", checkpointSecs, "0 or more seconds");
        if (incompleteTailSecs < 1) throw option(uri, "incompleteTailSecs", incompleteTailSecs, "1 or more seconds");
        if (maxFileBytes < 0) throw option(uri, "maxFileBytes", maxFileBytes, "0 (use megabytes) or more bytes");
        if (maxFileBytes == 0 && (megabytes < TrailFormat.MIN_MEGABYTES || megabytes > TrailFormat.MAX_MEGABYTES)) {
            throw option(uri, "megabytes", megabytes, TrailFormat.MIN_MEGABYTES + "-" + TrailFormat.MAX_MEGABYTES);
        }
        if (role == TrailRole.EXTRACT && positionStore != null) {
            throw new IllegalArgumentException("trail endpoint " + uri + ": positionStore is for role=REPLICAT; with"
                    + " role=EXTRACT the trail producer keeps the read checkpoint in dirchk/" + group + ".cpe");
        }
    }

    private static IllegalArgumentException option(String uri, String name, long value, String must) {
        return new IllegalArgumentException("trail endpoint " + uri + ": option " + name + " must be " + must + ": " + value);
    }

    public String getRmtHost() { return rmtHost; }
    public void setRmtHost(String rmtHost) { this.rmtHost = rmtHost == null ? "" : rmtHost.strip(); }
    public int getMgrPort() { return mgrPort; }
    public void setMgrPort(int mgrPort) {
        if (mgrPort < 1 || mgrPort > 65535) throw new IllegalArgumentException("mgrPort must be 1-65535: " + mgrPort);
        this.mgrPort = mgrPort;
    }
    public int getRmtTimeout() { return rmtTimeout; }
    public void setRmtTimeout(int rmtTimeout) {
        if (rmtTimeout < 1) throw new IllegalArgumentException("rmtTimeout must be at least 1 second: " + rmtTimeout);
        this.rmtTimeout = rmtTimeout;
    }
    public boolean isCompress() { return compress; }
    public void setCompress(boolean compress) { this.compress = compress; }
    public String getCompressAlgorithm() { return compressAlgorithm; }
    public void setCompressAlgorithm(String compressAlgorithm) {
        this.compressAlgorithm = Compression.ofAlgorithm(compressAlgorithm).name();
    }
    public int getCompressThreshold() { return compressThreshold; }
    public void setCompressThreshold(int compressThreshold) {
        new CompressionOptions(Compression.LZ4, compressThreshold); // range check, same message as the parameter file's
        this.compressThreshold = compressThreshold;
    }
    public boolean isTls() { return tls; }
    public void setTls(boolean tls) { this.tls = tls; }

    /** COMPRESS as these options say it (OFF without COMPRESS). */
    public CompressionOptions compressionOptions() {
        return compress ? new CompressionOptions(Compression.ofAlgorithm(compressAlgorithm), compressThreshold) : CompressionOptions.OFF;
    }
    public String getTcpErrors() { return tcpErrors; }
    public void setTcpErrors(String tcpErrors) { this.tcpErrors = tcpErrors == null ? "" : tcpErrors; }
    public boolean remote() { return !rmtHost.isEmpty(); }
    public String getGroup() { return group; }
    public void setGroup(String group) { this.group = group; }
    public int getMegabytes() { return megabytes; }
    public void setMegabytes(int megabytes) { this.megabytes = megabytes; }
    public long getMaxFileBytes() { return maxFileBytes; }
    public void setMaxFileBytes(long maxFileBytes) { this.maxFileBytes = maxFileBytes; }
    public String getTrailType() { return trailType; }
    public void setTrailType(String trailType) {
        if (!"EXTTRAIL".equals(trailType) && !"RMTTRAIL".equals(trailType)) {
            throw new IllegalArgumentException("trailType must be EXTTRAIL or RMTTRAIL: " + trailType);
        }
        this.trailType = trailType;
    }
    public TrailRole getRole() { return role; }
    public void setRole(TrailRole role) { this.role = role; }
    public int getMaxBatchOps() { return maxBatchOps; }
    public void setMaxBatchOps(int maxBatchOps) { this.maxBatchOps = maxBatchOps; }
    public int getReadAheadMegabytes() { return readAheadMegabytes; }
    public void setReadAheadMegabytes(int readAheadMegabytes) {
        if (readAheadMegabytes < 0) throw new IllegalArgumentException("readAheadMegabytes must be >= 0: " + readAheadMegabytes);
        this.readAheadMegabytes = readAheadMegabytes;
    }
    public int getSpillRows() { return spillRows; }
    public void setSpillRows(int spillRows) {
        if (spillRows < 0) throw new IllegalArgumentException("spillRows must be >= 0: " + spillRows);
        this.spillRows = spillRows;
    }
    public long getIdleDelay() { return idleDelay; }
    public void setIdleDelay(long idleDelay) { this.idleDelay = idleDelay; }
    public String getReportCount() { return reportCount; }
    public void setReportCount(String reportCount) { this.reportCount = reportCount; }
    public int getIncompleteTailSecs() { return incompleteTailSecs; }
    public void setIncompleteTailSecs(int incompleteTailSecs) { this.incompleteTailSecs = incompleteTailSecs; }
    public int getCheckpointSecs() { return checkpointSecs; }
    public void setCheckpointSecs(int checkpointSecs) { this.checkpointSecs = checkpointSecs; }
    public boolean isOverlapForce() { return overlapForce; }
    public void setOverlapForce(boolean overlapForce) { this.overlapForce = overlapForce; }
    public ReadPositionStore getPositionStore() { return positionStore; }
    public String getEncrypt() { return encrypt; }
    public void setEncrypt(String encrypt) { this.encrypt = encrypt == null ? "" : encrypt.strip(); }
    public String getKeyName() { return keyName; }
    public void setKeyName(String keyName) { this.keyName = keyName == null || keyName.isBlank() ? TrailKeys.DEFAULT_KEY : keyName.strip(); }
    public boolean isDecrypt() { return decrypt; }
    public void setDecrypt(boolean decrypt) { this.decrypt = decrypt; }
    public String getKeyFile() { return keyFile; }
    public void setKeyFile(String keyFile) { this.keyFile = keyFile == null ? "" : keyFile.strip(); }
    public void setPositionStore(ReadPositionStore positionStore) { this.positionStore = positionStore; }
}
