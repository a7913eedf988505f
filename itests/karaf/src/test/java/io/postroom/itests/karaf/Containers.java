package io.postroom.itests.karaf;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import io.postroom.testing.FreePorts;
import java.io.File;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * How the tests boot Karaf. Runs in the test driver only (called from {@code @Configuration}
 * methods): Pax Exam loads the test classes inside Karaf too, where these classes must never run.
 */
final class Containers {
    static final String DEMO_CFG = "etc/io.postroom.demo.mailserver.cfg";
    static final String PROTOCOL_CFG = "etc/io.postroom.protocol.cfg";

    private Containers() {
    }

    /** Postroom's own standalone assembly, with the demo mail server on free ports and distinctive passwords. */
    static Option[] standalone() {
        String assembly = required("postroom.assembly");
        if (!new File(assembly).isFile()) {
            throw new IllegalStateException(assembly + " is missing: build karaf-assembly first (mvn install).");
        }
        int[] ports = FreePorts.find(6);
        int imap = ports[4];
        int smtp = ports[5];
        List<Option> options = new ArrayList<>(common("file:" + assembly, "Postroom", ports));
        options.add(editConfigurationFilePut(DEMO_CFG, "imapPort", String.valueOf(imap)));
        options.add(editConfigurationFilePut(DEMO_CFG, "smtpPort", String.valueOf(smtp)));
        // distinctive passwords, so that the leak check can search for them everywhere
        options.add(editConfigurationFilePut(DEMO_CFG, "accounts", "alice@example.com:" + password("alice")
                + ", bob@example.com:" + password("bob") + ", carol@example.com:" + password("carol")));
        options.add(editConfigurationFilePut(PROTOCOL_CFG, "allowedPorts", imap + ", " + smtp));
        // Postroom's own loggers at DEBUG, so the leak check sees everything they write
        options.add(editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.postroom.name", "io.postroom"));
        options.add(editConfigurationFilePut("etc/org.ops4j.pax.logging.cfg", "log4j2.logger.postroom.level", "DEBUG"));
        return options.toArray(Option[]::new);
    }

    /** A stock Apache Karaf, as a host that installs Postroom runs it. */
    static Option[] stockKaraf() {
        String karafVersion = required("karaf.version");
        int[] ports = FreePorts.find(4);
        List<Option> options = new ArrayList<>(common(maven().groupId("org.apache.karaf").artifactId("apache-karaf")
                .version(karafVersion).type("tar.gz").getURL(), "Apache Karaf", ports));
        // Karaf 4.4.8 ships its users commented out (stack.md, pitfall 7): the host's users
        options.add(editConfigurationFilePut("etc/users.properties", "admin", "admin,admin,manager,viewer,systembundles,ssh"));
        options.add(editConfigurationFilePut("etc/users.properties", "alice", "alice,manager"));
        // what the test installs: mvn:io.postroom/features/<version>/xml/features
        options.add(editConfigurationFilePut("etc/system.properties", "postroom.version", required("postroom.version")));
        return options.toArray(Option[]::new);
    }

    private static List<Option> common(String frameworkUrl, String name, int[] ports) {
        String localRepository = required("postroom.localRepository");
        List<Option> options = new ArrayList<>();
        options.add(karafDistributionConfiguration().frameworkUrl(frameworkUrl).name(name)
                .unpackDirectory(new File("target/exam")).useDeployFolder(false));
        options.add(configureConsole().ignoreLocalConsole().ignoreRemoteShell());
        options.add(logLevel(LogLevel.WARN));
        options.add(systemTimeout(300_000));
        options.add(editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(ports[0])));
        options.add(editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(ports[1])));
        options.add(editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(ports[2])));
        options.add(editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(ports[3])));
        // our artifacts are in the local repository (mvn install builds them before this module)
        options.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepository));
        options.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                        + " ${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                        + " " + new File(localRepository).toURI() + "@id=local@snapshots"));
        options.add(editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "updateSnapshots", "none"));
        options.add(vmOptions(
                "-Xmx768m",
                // Pax Exam's in-container lookups (its injector, the probe's services) wait 10 s by
                // default: too short while a loaded 2-core machine is still installing the boot features
                "-Dorg.ops4j.pax.swissbox.tracker.ServiceLookup.DEFAULT_TIMEOUT=180000",
                "-Dpax.exam.service.timeout=180000",
                // a Karaf started from the same folder before must not leave its state behind
                "-Dkaraf.clean.all=true",
                "-Djdk.util.zip.disableZip64ExtraFieldValidation=true",
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"));
        return options;
    }

    private static String password(String user) {
        byte[] bytes = new byte[9];
        new SecureRandom().nextBytes(bytes);
        StringBuilder hex = new StringBuilder("Pw-" + user + "-");
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set (failsafe sets it; see itests/karaf/pom.xml).");
        }
        return value;
    }
}
