package io.postroom.testing.ds;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Checks that a component refuses what its metatype refuses. The {@code min} and {@code max} of an
 * {@code @AttributeDefinition} are a description only: Configuration Admin hands a component any
 * value, so the component must check them itself. This reads the bounds from the metatype that bnd
 * generated ({@code OSGI-INF/metatype/<pid>.xml} beside the configuration type's class) and, for each
 * bounded number, activates with the bounds (must succeed) and one past each (must fail with an
 * {@link IllegalArgumentException} that names the property), the annotation's defaults elsewhere.
 */
public final class MetatypeBounds {

    /** One bounded property: its id, and its bounds (null where the metatype gives none). */
    public record Bound(String id, Long min, Long max) {
    }

    private MetatypeBounds() {
    }

    /** The numeric properties of {@code pid} with a {@code min} or a {@code max}. */
    public static List<Bound> of(Class<? extends Annotation> type, String pid) {
        String resource = "OSGI-INF/metatype/" + pid + ".xml";
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("no metatype " + resource + " on the class path of " + type.getName()
                        + " (bnd writes it into target/classes when the module is built)");
            }
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList ads = f.newDocumentBuilder().parse(in).getElementsByTagName("AD");
            List<Bound> bounds = new ArrayList<>();
            for (int i = 0; i < ads.getLength(); i++) {
                Element ad = (Element) ads.item(i);
                String kind = ad.getAttribute("type");
                if (!(kind.equals("Integer") || kind.equals("Long")) || !(ad.hasAttribute("min") || ad.hasAttribute("max"))) {
                    continue;
                }
                bounds.add(new Bound(ad.getAttribute("id"), number(ad, "min"), number(ad, "max")));
            }
            return bounds;
        } catch (IOException | javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new AssertionError("cannot read " + resource + ": " + e, e);
        }
    }

    /**
     * Activates with each bounded property at its bounds and one past them.
     *
     * @param activate what the component does with its configuration on activation (builds its
     *                 settings, say); it must throw an {@link IllegalArgumentException} naming the
     *                 property for a value out of bounds
     * @return the properties checked
     * @throws AssertionError naming every property whose bound was not enforced, or refused within bounds
     */
    public static <A extends Annotation> List<Bound> assertEnforced(Class<A> type, String pid, Consumer<A> activate) {
        List<Bound> bounds = of(type, pid);
        List<String> wrong = new ArrayList<>();
        for (Bound b : bounds) {
            java.lang.reflect.Method method = method(type, b.id());
            String name = method.getName();
            boolean isLong = method.getReturnType() == long.class;
            for (Long edge : new Long[] {b.min(), b.max()}) {
                if (edge != null && !accepted(type, activate, name, value(edge, isLong))) {
                    wrong.add(b.id() + " = " + edge + " (a bound) was refused");
                }
            }
            if (b.min() != null && b.min() > (isLong ? Long.MIN_VALUE : Integer.MIN_VALUE)) {
                String why = refusal(type, activate, name, value(b.min() - 1, isLong), b.id());
                if (why != null) {
                    wrong.add(b.id() + " = " + (b.min() - 1) + " (below the minimum " + b.min() + ") " + why);
                }
            }
            if (b.max() != null && b.max() < (isLong ? Long.MAX_VALUE : Integer.MAX_VALUE)) {
                String why = refusal(type, activate, name, value(b.max() + 1, isLong), b.id());
                if (why != null) {
                    wrong.add(b.id() + " = " + (b.max() + 1) + " (above the maximum " + b.max() + ") " + why);
                }
            }
        }
        if (!wrong.isEmpty()) {
            throw new AssertionError(pid + ": bounds of the metatype not enforced as they should be:\n  "
                    + String.join("\n  ", wrong));
        }
        return bounds;
    }

    private static <A extends Annotation> boolean accepted(Class<A> type, Consumer<A> activate, String id, Object value) {
        try {
            activate.accept(ComponentConfig.of(type, Map.of(id, value)));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Null when the value was refused as it must be; else what went wrong. */
    private static <A extends Annotation> String refusal(Class<A> type, Consumer<A> activate, String method, Object value,
                                                         String id) {
        try {
            activate.accept(ComponentConfig.of(type, Map.of(method, value)));
            return "was accepted";
        } catch (IllegalArgumentException e) {
            return e.getMessage() != null && e.getMessage().contains(id) ? null
                    : "was refused without naming the property: " + e.getMessage();
        }
    }

    /** The method behind a property id: bnd names {@code login_maxFailures()} {@code login.maxFailures}. */
    private static java.lang.reflect.Method method(Class<?> type, String id) {
        for (java.lang.reflect.Method m : type.getDeclaredMethods()) {
            if (m.getParameterCount() == 0 && m.getName().replace("__", "\0").replace('_', '.').replace('\0', '_').equals(id)) {
                return m;
            }
        }
        throw new AssertionError("the metatype names " + id + ", which " + type.getName() + " does not have");
    }

    private static Object value(long v, boolean isLong) {
        return isLong ? (Object) v : (Object) (int) v;
    }

    private static Long number(Element ad, String attribute) {
        return ad.hasAttribute(attribute) ? Long.valueOf(ad.getAttribute(attribute)) : null;
    }
}
