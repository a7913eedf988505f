/**
 * The sync engine outside OSGi (benchmarks, tools, tests): {@link io.postroom.sync.SyncEngines}
 * builds a {@link io.postroom.sync.SyncEngine} from plain parts. Inside Karaf the engine runs by
 * itself (configuration PID {@code io.postroom.sync}) and people use
 * {@link io.postroom.api.sync.SyncService}.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.postroom.sync;
