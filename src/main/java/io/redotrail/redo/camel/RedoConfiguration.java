package io.redotrail.redo.camel;

import io.redotrail.redo.RedoStartPositions;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Options of a {@code redo:} endpoint. Plain bean; copied per endpoint, not shared. */
@UriParams
@Configurer
public class RedoConfiguration implements Cloneable {
    @UriParam(label = "consumer", description = "Runtime home directory: redo logs in home/redo, archives in home/arch, checkpoints in home/dirchk."
            + " Defaults to the component's home.")
    private String home;
    @UriParam(label = "consumer", description = "Extract group name (case-insensitive, stored upper case); its checkpoint file home/dirchk/GROUP.cpe gives the start positions")
    @Metadata(required = true)
    private String group;
    @UriParam(label = "consumer", defaultValue = "1", description = "Number of redo threads (RAC instances) to read and merge by SCN")
    private int threads = 1;
    @UriParam(label = "consumer", defaultValue = "10000", description = "Maximum redo records per exchange (one trail fsync and checkpoint each)")
    private int maxBatchRecords = 10000;
    @UriParam(label = "consumer", defaultValue = "20", description = "Milliseconds to sleep when no redo is available; an empty batch is sent every 50 idle delays")
    private long idleDelay = 20;
    @UriParam(label = "consumer", defaultValue = "8", description = "Megabytes of redo read and checked ahead, on a thread of its own,"
            + " while the route processes the batch before (records' sizes on disk plus 200 bytes each); 0 reads on the route's thread only")
    private int readAheadMegabytes = 8;
    @UriParam(label = "consumer", defaultValue = "earliest", enums = "earliest,now",
            description = "Where to start without a checkpoint: the earliest available log, or the current end of redo")
    private String begin = "earliest";
    @UriParam(label = "consumer,advanced", description = "Bean giving start positions that take precedence over the checkpoint's Recovery position"
            + " (the extract aggregator, after Bounded Recovery restored its long transactions)")
    private RedoStartPositions startPositions;

    public String getHome() {
        return home;
    }

    public void setHome(String home) {
        this.home = home;
    }

    public String getGroup() {
        return group;
    }

    /** Group names are case-insensitive, as in GoldenGate; stored upper case (EXT1). */
    public void setGroup(String group) {
        this.group = group == null ? null : group.toUpperCase(java.util.Locale.ROOT);
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public int getMaxBatchRecords() {
        return maxBatchRecords;
    }

    public void setMaxBatchRecords(int maxBatchRecords) {
        this.maxBatchRecords = maxBatchRecords;
    }

    public long getIdleDelay() {
        return idleDelay;
    }

    public void setIdleDelay(long idleDelay) {
        this.idleDelay = idleDelay;
    }

    public RedoStartPositions getStartPositions() {
        return startPositions;
    }

    public void setStartPositions(RedoStartPositions startPositions) {
        this.startPositions = startPositions;
    }

    public int getReadAheadMegabytes() {
        return readAheadMegabytes;
    }

    public void setReadAheadMegabytes(int readAheadMegabytes) {
        this.readAheadMegabytes = readAheadMegabytes;
    }

    public String getBegin() {
        return begin;
    }

    public void setBegin(String begin) {
        this.begin = begin;
    }

    /** Rejects impossible values with a message naming the option. */
    public void validate() {
        if (home == null || home.isBlank()) throw new IllegalArgumentException("redo: option 'home' is required (or set it on the redo component)");
        if (group == null || group.isBlank()) throw new IllegalArgumentException("redo: option 'group' is required");
        if (threads < 1) throw new IllegalArgumentException("redo: threads must be >= 1: " + threads);
        if (maxBatchRecords < 1) throw new IllegalArgumentException("redo: maxBatchRecords must be >= 1: " + maxBatchRecords);
        if (readAheadMegabytes < 0) throw new IllegalArgumentException("redo: readAheadMegabytes must be >= 0: " + readAheadMegabytes);
        if (idleDelay < 1) throw new IllegalArgumentException("redo: idleDelay must be >= 1 ms: " + idleDelay);
        if (!"earliest".equals(begin) && !"now".equals(begin)) {
            throw new IllegalArgumentException("redo: begin must be 'earliest' or 'now': " + begin);
        }
    }

    public RedoConfiguration copy() {
        try {
            return (RedoConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
