package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;

import java.util.List;

/**
 * {@code INFO CREDENTIALSTORE [DOMAIN d]}: the aliases of the home's credential store as GGSCI prints them
 * (Domain, Alias, Userid), never a password.
 */
final class InfoCredentialStoreCommand implements GgsciCommand {
    @Override
    public String verb() {
        return "INFO";
    }

    @Override
    public String object() {
        return "CREDENTIALSTORE";
    }

    @Override
    public String usage() {
        return "INFO CREDENTIALSTORE [DOMAIN <domain>]";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        String only = null;
        List<String> w = AlterCredentialStoreCommand.words(c);
        if (w.size() == 2 && w.get(0).equalsIgnoreCase("DOMAIN")) only = w.get(1);
        else if (!w.isEmpty()) throw new GgsciException("usage: " + usage());
        List<CredentialStore.Entry> entries;
        try {
            entries = CredentialStore.of(ctx.home()).entries();
        } catch (CredentialStore.CredentialException e) {
            throw new GgsciException(e.getMessage());
        }
        ctx.out().println("Reading from ./dircrd/:");
        String domain = null;
        for (CredentialStore.Entry e : entries) {
            if (only != null && !e.domain().equalsIgnoreCase(only)) continue;
            if (!e.domain().equals(domain)) {
                domain = e.domain();
                ctx.out().println();
                ctx.out().println("Domain: " + domain);
            }
            ctx.out().println();
            ctx.out().println("  Alias: " + e.alias());
            ctx.out().println("  Userid: " + e.userId());
        }
        if (domain == null) {
            ctx.out().println();
            ctx.out().println(only == null ? "No aliases in the credential store." : "No aliases in domain " + only + ".");
        }
        return 0;
    }
}
