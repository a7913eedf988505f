package io.postroom.rest.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Maps a method and a path to a handler. Templates are paths with {@code {name}} segments:
 * {@code /mailboxes/{id}/verify}. A literal segment wins over a variable one, so
 * {@code /mailboxes/default} is never read as the mailbox "default".
 */
final class Router<H> {

    /** A route: method, template and what handles it. */
    record Route<H>(String method, String template, List<String> segments, H handler) {
        int variables() {
            return (int) segments.stream().filter(Router::isVariable).count();
        }
    }

    /** A matched route with the values of its variables. */
    record Match<H>(Route<H> route, Map<String, String> parameters) {
        H handler() {
            return route.handler();
        }

        String parameter(String name) {
            return parameters.get(name);
        }
    }

    private final List<Route<H>> routes = new ArrayList<>();

    Router<H> add(String method, String template, H handler) {
        Objects.requireNonNull(handler, "handler");
        List<String> segments = split(template);
        for (Route<H> r : routes) {
            if (r.method().equals(method) && shape(r.segments()).equals(shape(segments))) {
                throw new IllegalArgumentException("Duplicate route " + method + " " + template);
            }
        }
        routes.add(new Route<>(method, template, segments, handler));
        return this;
    }

    List<Route<H>> routes() {
        return List.copyOf(routes);
    }

    /**
     * @throws HttpError 404 when no template matches the path, 405 (with the allowed methods) when
     *                   the best-matching template has no route for the method
     */
    Match<H> match(String method, String path) {
        List<String> segments = split(path);
        List<Route<H>> candidates = routes.stream().filter(r -> matches(r.segments(), segments)).toList();
        if (candidates.isEmpty()) {
            throw HttpError.notFound(path);
        }
        int fewest = candidates.stream().mapToInt(Route::variables).min().orElseThrow();
        List<Route<H>> best = candidates.stream().filter(r -> r.variables() == fewest).toList();
        for (Route<H> r : best) {
            if (r.method().equals(method)) {
                return new Match<>(r, bind(r.segments(), segments));
            }
        }
        String allowed = best.stream().map(Route::method).distinct().sorted(Comparator.naturalOrder())
                .collect(Collectors.joining(", "));
        throw HttpError.methodNotAllowed(method, path, allowed);
    }

    /** Splits a path into segments; a trailing slash is ignored, empty segments are kept (and match nothing). */
    static List<String> split(String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return List.of();
        }
        return List.of(p.split("/", -1));
    }

    private static boolean matches(List<String> template, List<String> path) {
        if (template.size() != path.size()) {
            return false;
        }
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String p = path.get(i);
            if (p.isEmpty() || !(isVariable(t) || t.equals(p))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> bind(List<String> template, List<String> path) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (isVariable(t)) {
                values.put(t.substring(1, t.length() - 1), path.get(i));
            }
        }
        return values;
    }

    private static List<String> shape(List<String> segments) {
        return segments.stream().map(s -> isVariable(s) ? "{}" : s).toList();
    }

    private static boolean isVariable(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }
}
