package io.postroom.demo.mailserver.internal;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;

/**
 * The thread context class loader GreenMail runs with: Angus Mail's (Jakarta Mail finds its
 * providers and content handlers through it), then this bundle's, where GreenMail's embedded
 * classes and its TLS keystore {@code greenmail.p12} are (GreenMail reads the keystore through the
 * context class loader).
 */
final class MailClassLoader extends ClassLoader {
    private final ClassLoader bundle;

    MailClassLoader(ClassLoader mail, ClassLoader bundle) {
        super(mail);
        this.bundle = bundle;
    }

    static MailClassLoader create() {
        return new MailClassLoader(org.eclipse.angus.mail.imap.IMAPStore.class.getClassLoader(),
                MailClassLoader.class.getClassLoader());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        return bundle.loadClass(name);
    }

    @Override
    protected URL findResource(String name) {
        return bundle.getResource(name);
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return bundle.getResources(name);
    }
}
