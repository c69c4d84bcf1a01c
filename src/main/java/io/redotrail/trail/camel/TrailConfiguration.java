package io.redotrail.trail.camel;

import io.redotrail.trail.ReadPositionStore;
import io.redotrail.trail.TrailFormat;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Options of a {@code trail:} endpoint. */
@UriParams
public class TrailConfiguration {
    @UriParam(description = "Process group name (checkpoint file dirchk/<GROUP>.cpe, file header, abend reports)")
    @Metadata(required = true)
    private String group;
    @UriParam(defaultValue = "500", description = "Producer: roll over to the next file past this many megabytes (1-2000)")
    private int megabytes = 500;
    @UriParam(description = "Producer: maximum file size in bytes, overriding megabytes (tests)")
    private long maxFileBytes;
    @UriParam(defaultValue = "EXTTRAIL", enums = "EXTTRAIL,RMTTRAIL", description = "Trail type recorded in the write checkpoint")
    private String trailType = "EXTTRAIL";
    @UriParam(defaultValue = "5000", description = "Consumer: row changes per exchange (whole transactions, a bigger one comes alone)")
    private int maxBatchOps = 5000;
    @UriParam(defaultValue = "20", description = "Consumer: milliseconds to sleep when the trail has nothing new")
    private long idleDelay = 20;
    @UriParam(defaultValue = "10", description = "Producer: seconds between checkpoint writes (always at rollover and stop)")
    private int checkpointSecs = 10;
    @UriParam(defaultValue = "50000", description = "Consumer: a transaction of more row changes spills to dirtmp/<group>/ as it is read, so heap use does not grow with transaction size (0 = never)")
    private int spillRows = 50_000;
    @UriParam(description = "Consumer: bean holding the authoritative start position (e.g. a replicat checkpoint table)")
    private ReadPositionStore positionStore;

    public long effectiveMaxFileBytes() {
        if (maxFileBytes > 0) return maxFileBytes;
        if (megabytes < 1 || megabytes > 2000) throw new IllegalArgumentException("megabytes must be 1-2000: " + megabytes);
        return megabytes == 500 ? TrailFormat.DEFAULT_MAX_FILE_BYTES : megabytes * 1024L * 1024L;
    }

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
    public int getMaxBatchOps() { return maxBatchOps; }
    public void setMaxBatchOps(int maxBatchOps) { this.maxBatchOps = maxBatchOps; }
    public int getSpillRows() { return spillRows; }
    public void setSpillRows(int spillRows) {
        if (spillRows < 0) throw new IllegalArgumentException("spillRows must be >= 0: " + spillRows);
        this.spillRows = spillRows;
    }
    public long getIdleDelay() { return idleDelay; }
    public void setIdleDelay(long idleDelay) { this.idleDelay = idleDelay; }
    public int getCheckpointSecs() { return checkpointSecs; }
    public void setCheckpointSecs(int checkpointSecs) { this.checkpointSecs = checkpointSecs; }
    public ReadPositionStore getPositionStore() { return positionStore; }
    public void setPositionStore(ReadPositionStore positionStore) { this.positionStore = positionStore; }
}
