package io.redotrail.runtime;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoint URIs the YAML route files will run, read before Camel starts (for the group locks): the URIs of
 * plain routes as written, and for every {@code templatedRoute} the URIs of its {@code routeTemplate} (from any
 * of the files) with the template parameters ({@code {{name}}}: the templatedRoute's values, else the
 * template's defaults) filled in. Configuration placeholders ({@code {{redotrail.…}}}) are left for the caller.
 * Parsed with the YAML parser Camel's YAML DSL uses; a file it cannot parse is left to Camel, which refuses it
 * with the line.
 */
final class RouteUris {
    private static final Pattern URI = Pattern.compile("^[a-z][a-z0-9+.-]*:.+", Pattern.DOTALL);
    private static final Pattern PARAM = Pattern.compile("\\{\\{([^}:?]+)}}");

    private RouteUris() {
    }

    static List<String> of(List<Path> files) {
        Map<String, Map<?, ?>> templates = new HashMap<>();
        List<Map<?, ?>> templated = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            Object doc;
            try {
                doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read route file " + f, e);
            } catch (RuntimeException e) {
                continue; // not YAML: Camel refuses the file with the line when it loads it
            }
            if (!(doc instanceof List<?> elements)) continue;
            for (Object e : elements) {
                if (!(e instanceof Map<?, ?> m)) continue;
                if (m.get("routeTemplate") instanceof Map<?, ?> t) templates.put(String.valueOf(t.get("id")), t);
                else if (m.get("templatedRoute") instanceof Map<?, ?> t) templated.add(t);
                else uris(m, out);
            }
        }
        for (Map<?, ?> instance : templated) {
            Map<?, ?> template = templates.get(String.valueOf(instance.get("routeTemplateRef")));
            if (template == null) continue; // Camel refuses a reference to no template
            Map<String, String> params = new LinkedHashMap<>();
            named(template.get("parameters"), "defaultValue", params);
            named(instance.get("parameters"), "value", params);
            List<String> raw = new ArrayList<>();
            uris(template.get("route") != null ? template.get("route") : template.get("from"), raw);
            for (String u : raw) out.add(fill(u, params));
        }
        return out;
    }

    /** name → value of a {@code parameters:} list, for entries that have {@code key}. */
    private static void named(Object list, String key, Map<String, String> into) {
        if (!(list instanceof List<?> l)) return;
        for (Object p : l) {
            if (p instanceof Map<?, ?> m && m.get("name") != null && m.containsKey(key)) {
                into.put(String.valueOf(m.get("name")), String.valueOf(m.get(key)));
            }
        }
    }

    private static void uris(Object node, List<String> into) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if ("uri".equals(e.getKey()) && e.getValue() instanceof String s) into.add(s);
                else if (e.getKey() instanceof String k && e.getValue() instanceof String s && (k.equals("to") || k.equals("from"))
                        && URI.matcher(s).matches()) into.add(s);
                else uris(e.getValue(), into);
            }
        } else if (node instanceof List<?> l) {
            for (Object o : l) uris(o, into);
        }
    }

    private static String fill(String uri, Map<String, String> params) {
        Matcher m = PARAM.matcher(uri);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = params.get(m.group(1).strip());
            m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
