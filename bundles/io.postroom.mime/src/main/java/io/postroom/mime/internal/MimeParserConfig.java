package io.postroom.mime.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the message parser (PID {@code io.postroom.mime}). */
@ObjectClassDefinition(id = "io.postroom.mime", name = "Postroom message parser",
        description = "Limits that keep message parsing lean and safe, and what to do with remote images in HTML mail.")
public @interface MimeParserConfig {

    @AttributeDefinition(name = "Text per part", description = "Octets downloaded and decoded per text part; longer text is cut and flagged.", min = "1024")
    int maxTextBytes() default 1 << 20;

    @AttributeDefinition(name = "Text per message", description = "Octets of text per message, all parts together; a smaller value caps the text per part too.", min = "1024")
    int maxTotalTextBytes() default 4 << 20;

    @AttributeDefinition(name = "Nesting depth", description = "Deepest multipart / enclosed message nesting read.", min = "2", max = "256")
    int maxDepth() default 32;

    @AttributeDefinition(name = "Parts per message", description = "Body parts listed per message.", min = "1")
    int maxParts() default 1000;

    @AttributeDefinition(name = "Header size", description = "Octets of a message header block read.", min = "4096")
    int maxHeaderBytes() default 1 << 20;

    @AttributeDefinition(name = "Header value length", description = "Characters kept per header value.", min = "256")
    int maxHeaderValueChars() default 64 * 1024;

    @AttributeDefinition(name = "Remote images", description = "BLOCK moves their address to data-remote-src (nothing loads until the user asks), REMOVE drops them, ALLOW keeps them.",
            options = {@Option(label = "Block", value = "BLOCK"), @Option(label = "Remove", value = "REMOVE"), @Option(label = "Allow", value = "ALLOW")})
    String remoteImages() default "BLOCK";
}
