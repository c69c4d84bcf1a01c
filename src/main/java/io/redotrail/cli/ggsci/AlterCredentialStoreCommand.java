package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code ALTER CREDENTIALSTORE ADD USER u@url [PASSWORD p] [ALIAS a] [DOMAIN d]}, {@code ... REPLACE USER ...}
 * (same words; without PASSWORD the password is asked for: without echo on a terminal, else the next input line) and {@code ... DELETE USER u [ALIAS a] [DOMAIN d]}. The alias defaults to the user id, the domain
 * to OracleGoldenGate, as in GoldenGate. The words are read from the raw line (a password may hold a comma);
 * no message repeats the line, so the password is never printed.
 */
final class AlterCredentialStoreCommand implements GgsciCommand {
    @Override
    public String verb() {
        return "ALTER";
    }

    @Override
    public String object() {
        return "CREDENTIALSTORE";
    }

    @Override
    public String usage() {
        return "ALTER CREDENTIALSTORE ADD | REPLACE USER <user>@<jdbcUrl> [PASSWORD <pw>] [ALIAS <alias>] [DOMAIN <domain>]"
                + " | DELETE USER <user> [ALIAS <alias>] [DOMAIN <domain>]";
    }

    /** What {@link CredentialStore#maskPasswords} shows instead of a password. */
    static final String MASK = CredentialStore.maskPasswords("PASSWORD x").substring("PASSWORD ".length());

    /**
     * The password left out of the command: asked without echo on a terminal, else the next line of input, so it
     * never stands on a command line (shell history, ps) or in GGSCI's echo.
     */
    private static String prompted(GgsciContext ctx) {
        String pw;
        try {
            pw = ctx.secrets().read("Password: ");
        } catch (java.io.IOException e) {
            throw new GgsciException("cannot read the password: " + e.getMessage());
        }
        if (pw == null || pw.isEmpty()) {
            throw new GgsciException("PASSWORD is required: leave it out to be asked for it (on a terminal, without echo;"
                    + " otherwise the next input line is the password). usage: " + usage0());
        }
        return pw;
    }

    private static String usage0() {
        return new AlterCredentialStoreCommand().usage();
    }

    /** The words after {@code <VERB> CREDENTIALSTORE} of the raw line, as typed (blank-separated). */
    static List<String> words(ParsedCommand c) {
        List<String> w = new ArrayList<>(Arrays.asList(c.raw().trim().split("\\s+")));
        int i = 0;
        while (i < w.size() && !w.get(i).toUpperCase(Locale.ROOT).startsWith("CREDENTIALSTORE")) i++;
        List<String> rest = new ArrayList<>(w.subList(Math.min(i + 1, w.size()), w.size()));
        rest.removeIf(String::isEmpty);
        return rest;
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        List<String> w = words(c);
        if (w.size() < 3 || !w.get(1).equalsIgnoreCase("USER")) throw new GgsciException("usage: " + usage());
        String action = w.get(0).toUpperCase(Locale.ROOT);
        String user = w.get(2);
        String password = null, alias = null, domain = CredentialStore.DEFAULT_DOMAIN;
        for (int i = 3; i < w.size(); i += 2) {
            String k = w.get(i).toUpperCase(Locale.ROOT);
            if (i + 1 >= w.size()) throw new GgsciException(k + " needs a value. usage: " + usage());
            switch (k) {
                case "PASSWORD" -> password = w.get(i + 1);
                case "ALIAS" -> alias = w.get(i + 1);
                case "DOMAIN" -> domain = w.get(i + 1);
                default -> throw new GgsciException("unknown option " + k + ". usage: " + usage());
            }
        }
        if (alias == null) alias = user;
        CredentialStore store = CredentialStore.of(ctx.home());
        try {
            switch (action) {
                case "ADD", "REPLACE" -> {
                    if (password == null) password = prompted(ctx);
                    if (password.equals(MASK)) {
                        throw new GgsciException("PASSWORD " + MASK + " is the mask GGSCI shows instead of a password (a command"
                                + " repeated from the history): type the command again, or leave PASSWORD out to be asked for it.");
                    }
                    if (action.equals("ADD")) store.add(domain, alias, user, password);
                    else store.replace(domain, alias, user, password);
                }
                case "DELETE" -> {
                    if (password != null) throw new GgsciException("DELETE USER takes no PASSWORD");
                    store.delete(domain, alias, user);
                }
                default -> throw new GgsciException("usage: " + usage());
            }
        } catch (CredentialStore.CredentialException e) {
            throw new GgsciException(e.getMessage());
        }
        ctx.out().println("Credential store in ./dircrd/ altered.");
        return 0;
    }
}
