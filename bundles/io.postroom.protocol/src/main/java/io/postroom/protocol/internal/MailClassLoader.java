package io.postroom.protocol.internal;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.function.Supplier;

/**
 * The thread context class loader Jakarta Mail needs in OSGi. Jakarta Mail finds its providers
 * (IMAP/SMTP stores and transports, the {@code StreamProvider}) with {@code ServiceLoader} and
 * {@code META-INF/javamail.*} resources through the context class loader. This bundle's class
 * loader sees the Angus classes it imports but not Angus's resources, so this loader asks this
 * bundle first and then the Angus Mail bundle for classes and resources. Karaf's {@code spifly}
 * feature does the same for other callers; the swap keeps Postroom working without it.
 */
public final class MailClassLoader extends ClassLoader {
    private static final ClassLoader INSTANCE = create();

    private final ClassLoader angus;

    private MailClassLoader(ClassLoader bundle, ClassLoader angus) {
        super(bundle);
        this.angus = angus;
    }

    private static ClassLoader create() {
        ClassLoader bundle = MailClassLoader.class.getClassLoader();
        ClassLoader angus = org.eclipse.angus.mail.imap.IMAPStore.class.getClassLoader();
        if (angus == null || angus == bundle) {
            return bundle;
        }
        return new MailClassLoader(bundle, angus);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        return angus.loadClass(name);
    }

    @Override
    protected URL findResource(String name) {
        return angus.getResource(name);
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return angus.getResources(name);
    }

    /** Runs {@code work} with this loader as the thread context class loader, then restores the previous one. */
    public static <T, E extends Exception> T call(MailWork<T, E> work) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(INSTANCE);
        try {
            return work.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public static <T> T get(Supplier<T> work) {
        return call(work::get);
    }

    /** Work that may throw a checked exception (a {@code MessagingException}, typically). */
    @FunctionalInterface
    public interface MailWork<T, E extends Exception> {
        T run() throws E;
    }
}
