/**
 * How the REST API learns who calls it. A host plugs in its own authentication (tokens, sessions,
 * single sign-on) by registering a {@link io.postroom.rest.RequestAuthenticator} service with a
 * {@code service.ranking} above the built-in HTTP Basic one (which has {@code -100}); the API uses
 * the highest-ranked authenticator only.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.postroom.rest;
