package io.redotrail.core;

/** Row operations, with the IOType code GoldenGate's trail uses for each. */
public enum ChangeOp {
    INSERT(5), UPDATE(10), DELETE(3), PK_UPDATE(115);

    private final int ioType;

    ChangeOp(int ioType) {
        this.ioType = ioType;
    }

    public int ioType() {
        return ioType;
    }

    /** values() copies the array at each call: once per row read. */
    private static final ChangeOp[] ALL = values();

    public static ChangeOp ofIoType(int code) {
        for (ChangeOp op : ALL) {
            if (op.ioType == code) return op;
        }
        throw new IllegalArgumentException("unknown IOType " + code);
    }
}
