package io.redotrail.replicat;

import io.redotrail.core.Jdbc;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * The target database as a {@link DataSource} bean ({@code redotrailTarget} in routes/target-datasource.yaml), for
 * user routes: {@code jdbc:redotrailTarget} (camel-jdbc) reads or writes the target, e.g. the checkpoint table.
 * Each {@link #getConnection()} opens a new connection with the target URL, user and password (camel-jdbc
 * closes it after its exchange), waiting out a killed H2 owner's lock as the Replicat does. The Replicat itself
 * does not use this bean: it keeps one connection of its own, whose transactions apply a group of source
 * transactions and update the checkpoint row together (docs/architecture.md, "camel-file and camel-jdbc").
 */
public class TargetDataSource implements DataSource {
    private String url;
    private String user;
    private String password;

    @Override
    public Connection getConnection() throws SQLException {
        if (url == null || url.isBlank()) throw new SQLException("TargetDataSource: property 'url' is not set");
        return Jdbc.connect(url, user, password == null ? "" : password);
    }

    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
        if (url == null || url.isBlank()) throw new SQLException("TargetDataSource: property 'url' is not set");
        return Jdbc.connect(url, username, pass);
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    /**
     * Refused unless 0: connections come from the URL's driver, so a login timeout is a driver option in the URL
     * (e.g. PostgreSQL's {@code loginTimeout=N}); a value kept here would be a timeout nothing honours.
     */
    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        if (seconds != 0) {
            throw new SQLFeatureNotSupportedException("TargetDataSource: loginTimeout " + seconds + " is not supported;"
                    + " set the driver's own timeout in the target URL (e.g. PostgreSQL loginTimeout=N)");
        }
    }

    /** 0: the driver's own default (or the timeout its URL sets). */
    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("TargetDataSource logs through slf4j");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        throw new SQLException("TargetDataSource is not a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "TargetDataSource[" + url + ", user " + user + "]";
    }
}
