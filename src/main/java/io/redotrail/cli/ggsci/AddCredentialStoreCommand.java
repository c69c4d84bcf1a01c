package io.redotrail.cli.ggsci;

import io.redotrail.control.credentials.CredentialStore;

/** {@code ADD CREDENTIALSTORE}: creates the home's credential store ({@code dircrd/cwallet.sso}) and its key. */
final class AddCredentialStoreCommand implements GgsciCommand {
    @Override
    public String verb() {
        return "ADD";
    }

    @Override
    public String object() {
        return "CREDENTIALSTORE";
    }

    @Override
    public String usage() {
        return "ADD CREDENTIALSTORE";
    }

    @Override
    public int execute(ParsedCommand c, GgsciContext ctx) {
        if (c.group() != null || !c.options().isEmpty()) throw new GgsciException("usage: " + usage());
        try {
            CredentialStore.of(ctx.home()).create();
        } catch (CredentialStore.CredentialException e) {
            throw new GgsciException(e.getMessage());
        }
        ctx.out().println("Credential store created in ./dircrd/.");
        return 0;
    }
}
