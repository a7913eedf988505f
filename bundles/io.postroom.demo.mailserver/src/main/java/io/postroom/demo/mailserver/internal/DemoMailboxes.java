package io.postroom.demo.mailserver.internal;

import java.util.List;

/** What the shell command asks of the running demo mail server. */
public interface DemoMailboxes {

    /** The demo accounts' addresses. */
    List<String> addresses();

    /**
     * The newest messages of a folder of an account, newest first.
     *
     * @throws IllegalArgumentException if there is no such account or folder
     */
    List<DemoMessage> latest(String address, String folder, int count);

    /** IMAP and SMTP ports and the address they listen on, for people. */
    String describe();
}
