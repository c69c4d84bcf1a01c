package io.redotrail.cli.ggsci;

import io.redotrail.report.ReportFile;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code VIEW REPORT group}: prints {@code dirrpt/<GROUP>.rpt}. */
final class ViewReportCommand implements GgsciCommand {
    @Override
    public String verb() {
        return "VIEW";
    }

    @Override
    public String object() {
        return "REPORT";
    }

    @Override
    public String usage() {
        return "VIEW REPORT <group>";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) throws Exception {
        if (c.group() == null) throw new GgsciException("usage: " + usage());
        Path f = ReportFile.pathOf(ctx.home(), c.group());
        if (!Files.exists(f)) throw new GgsciException("Report file " + f + " does not exist.");
        Files.readAllLines(f).forEach(ctx.out()::println);
        return 0;
    }
}
