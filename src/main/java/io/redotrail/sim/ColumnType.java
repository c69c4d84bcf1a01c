package io.redotrail.sim;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Java representation of a simulated column: which class its values have in row images, and how it is
 * bound to and read from JDBC. Immutable, thread-safe.
 */
public enum ColumnType {
    LONG(Long.class, Types.BIGINT),
    DECIMAL(BigDecimal.class, Types.DECIMAL),
    STRING(String.class, Types.VARCHAR),
    TIMESTAMP(LocalDateTime.class, Types.TIMESTAMP),
    DATE(LocalDate.class, Types.DATE);

    private final Class<?> javaClass;
    private final int sqlType;

    ColumnType(Class<?> javaClass, int sqlType) {
        this.javaClass = javaClass;
        this.sqlType = sqlType;
    }

    public Class<?> javaClass() {
        return javaClass;
    }

    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, sqlType);
            return;
        }
        // typed setters: setObject with a target type costs a conversion per value in H2
        switch (this) {
            case LONG -> ps.setLong(index, (Long) value);
            case DECIMAL -> ps.setBigDecimal(index, (BigDecimal) value);
            case STRING -> ps.setString(index, (String) value);
            case TIMESTAMP, DATE -> ps.setObject(index, value);
        }
    }

    public Object read(ResultSet rs, int index) throws SQLException {
        return rs.getObject(index, javaClass);
    }
}
