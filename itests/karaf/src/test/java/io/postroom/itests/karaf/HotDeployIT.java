package io.postroom.itests.karaf;

import static org.junit.Assert.assertTrue;

import java.util.List;
import javax.inject.Inject;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * What a host does: a stock Apache Karaf, then {@code feature:repo-add} of Postroom's features,
 * {@code feature:install postroom} and the host's own SPI bundle (here the sample host). Postroom
 * must come up in the running Karaf with the shipped defaults.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployIT {
    private static final List<String> TRANSCRIPT = new java.util.ArrayList<>();

    @Inject
    BundleContext context;

    @Inject
    SessionFactory sessionFactory;

    @Inject
    BootFinished bootFinished;

    @Configuration
    public Option[] config() {
        return Containers.stockKaraf();
    }

    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader(Constants.DYNAMICIMPORT_PACKAGE, "*");
        return probe;
    }

    @Test
    public void postroomFeatureInstallsIntoARunningKaraf() {
        String version = System.getProperty("postroom.version");
        KarafShell shell = new KarafShell(sessionFactory, TRANSCRIPT);

        shell.run("admin", "feature:repo-add mvn:io.postroom/features/" + version + "/xml/features", "admin");
        shell.run("admin", "feature:install postroom", "admin");
        shell.run("admin", "bundle:install -s mvn:io.postroom/io.postroom.sample.host/" + version, "admin");

        List<Bundle> bundles = Osgi.bundles(context, "io.postroom.");
        List<String> notActive = bundles.stream().filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " (state " + b.getState() + ")").toList();
        assertTrue("not active: " + notActive, notActive.isEmpty());
        assertTrue("the postroom feature must not bring the demo mail server",
                bundles.stream().noneMatch(b -> b.getSymbolicName().equals("io.postroom.demo.mailserver")));

        // Postroom's types (and SCR's: a stock Karaf has no scr feature) are only loaded from here on
        HostChecks.mailboxServiceWorksWithShippedDefaults(context);
        HostChecks.componentsAreSatisfied(context);
    }
}
