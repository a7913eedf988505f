package io.postroom.itests.karaf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.util.tracker.ServiceTracker;

/** Small OSGi helpers for code running inside Karaf. */
final class Osgi {
    private Osgi() {
    }

    /** Waits for a service; fails naming it when it does not come. */
    static <T> T service(BundleContext context, Class<T> type, long seconds) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open(true);
        try {
            T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(seconds));
            if (service == null) {
                throw new AssertionError("No " + type.getName() + " service after " + seconds + " s");
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static List<Bundle> bundles(BundleContext context, String symbolicNamePrefix) {
        return Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith(symbolicNamePrefix))
                .toList();
    }

    /**
     * The DS components of the given bundles that are not working: unsatisfied references (named),
     * missing required configuration, failed activation. Empty when all are satisfied or active.
     */
    static List<String> brokenComponents(ServiceComponentRuntime scr, List<Bundle> bundles) {
        List<String> broken = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundles.toArray(Bundle[]::new))) {
            if (!scr.isComponentEnabled(description)) {
                broken.add(description.name + ": disabled");
                continue;
            }
            if (description.factory != null) {
                continue;
            }
            var configurations = scr.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty()) {
                broken.add(description.name + ": no configuration (policy " + description.configurationPolicy + ", PID "
                        + String.join(",", description.configurationPid) + ")");
            }
            for (ComponentConfigurationDTO c : configurations) {
                switch (c.state) {
                    case ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED -> {
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                        List<String> missing = new ArrayList<>();
                        for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                            missing.add(r.name + (r.target == null ? "" : " " + r.target));
                        }
                        broken.add(description.name + ": unsatisfied references " + missing);
                    }
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION ->
                            broken.add(description.name + ": waiting for its configuration");
                    case ComponentConfigurationDTO.FAILED_ACTIVATION ->
                            broken.add(description.name + ": activation failed: " + c.failure);
                    default -> broken.add(description.name + ": state " + c.state);
                }
            }
        }
        return broken;
    }

    /** A configuration's properties without creating or binding it; null when there is none. */
    static Dictionary<String, Object> configuration(ConfigurationAdmin configAdmin, String pid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            return found == null || found.length == 0 ? null : found[0].getProperties();
        } catch (InvalidSyntaxException | java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
