package io.postroom.sample.host.internal;

import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.spi.Plan;
import io.postroom.api.spi.PlanPolicy;
import io.postroom.api.spi.Tenant;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.api.spi.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.BackingEngineFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The host SPI of the standalone Postroom: one tenant whose users are the users of Karaf's JAAS
 * realm, with names, addresses and plans from the configuration. A real CRM implements
 * {@link TenantDirectory} and {@link PlanPolicy} over its own user store instead.
 */
@Component(service = {TenantDirectory.class, PlanPolicy.class}, configurationPid = SampleHost.PID)
@Designate(ocd = SampleHost.Config.class)
public final class SampleHost implements TenantDirectory, PlanPolicy {
    static final String PID = "io.postroom.sample.host";

    @ObjectClassDefinition(name = "Postroom sample host",
            description = "The standalone Postroom's tenant, its users (Karaf's JAAS realm) and their plans. Per user: "
                    + "user.<id>.firstName, user.<id>.lastName, user.<id>.email and user.<id>.plan (Free, Standard or Professional).")
    public @interface Config {
        @AttributeDefinition(description = "Id of the one tenant")
        String tenant() default "demo";

        @AttributeDefinition(description = "Name of the tenant")
        String name() default "Demo Company";

        @AttributeDefinition(description = "JAAS realm whose users are the tenant's users")
        String realm() default "karaf";

        @AttributeDefinition(description = "Plan of users without user.<id>.plan: Free, Standard or Professional")
        String plan_default() default "Standard";
    }

    private final Directory directory;

    @Activate
    public SampleHost(Config config, Map<String, Object> properties,
                      @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policyOption = ReferencePolicyOption.GREEDY)
                      List<JaasRealm> realms,
                      @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policyOption = ReferencePolicyOption.GREEDY)
                      List<BackingEngineFactory> engineFactories) {
        HostConfig hostConfig = HostConfig.parse(config.tenant(), config.name(), config.realm(), config.plan_default(), properties);
        this.directory = new Directory(hostConfig, new JaasRealmUsers(hostConfig.realm(), realms, engineFactories));
    }

    @Override
    public Optional<Tenant> tenant(TenantId tenant) {
        return directory.tenant(tenant);
    }

    @Override
    public Optional<User> user(TenantId tenant, UserId user) {
        return directory.user(tenant, user);
    }

    @Override
    public List<User> users(TenantId tenant) {
        return directory.users(tenant);
    }

    @Override
    public Plan plan(TenantId tenant, UserId user) {
        return directory.plan(user);
    }
}
