package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.ParseProblem;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateParserTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Fri, 21 Nov 1997 09:55:06 -0600|1997-11-21T15:55:06Z",
        "21 Nov 97 09:55:06 GMT|1997-11-21T09:55:06Z",
        "Thu,\t13\t Feb 1969 23:32 -0330 (Newfoundland Time)|1969-02-14T03:02:00Z",
        "Fri, 21 Nov 1997 09(comment):   55  :  06 -0600|1997-11-21T15:55:06Z",
        "Tue, 22 Jan 2002 14:35:28 UT|2002-01-22T14:35:28Z",
        "Wed, 9 Jan 2002 19:47:50 MST|2002-01-10T02:47:50Z",
        "Tue, 04 Dec 2001 17:11:25 -0459|2001-12-04T22:10:25Z",
        "Sat, 20 Sep 2008 20:04:30 +0300 (ÃÂ©)|2008-09-20T17:04:30Z",
        "Mon, 2 May 2005 16:07:05 -0600|2005-05-02T22:07:05Z",
        "Fri, 30 Jun 2006 23:59:60 +0000|2006-06-30T23:59:59Z"})
    void validDates(String value, String expected) {
        Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
        assertThat(DateParser.parse(value, problems)).isEqualTo(Instant.parse(expected));
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "May 8, 2005 1:17 PM|2005-05-08T13:17:00Z",
        "Mon May  2 16:07:05 2005|2005-05-02T16:07:05Z",
        "2010-10-13 07:53:04|2010-10-13T07:53:04Z",
        "Tue, 12 Oct 2010 16:21:05 H0500|2010-10-12T16:21:05Z",
        "Tue, 12 Oct 2010|2010-10-12T00:00:00Z"})
    void guessedDatesAreKeptAndFlagged(String value, String expected) {
        Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
        assertThat(DateParser.parse(value, problems)).isEqualTo(Instant.parse(expected));
        assertThat(problems).containsExactly(ParseProblem.BAD_DATE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<HR>", "Wed, 15 Dec 2010    59:10 -0500", "Mon, 30 Jun 3609 15:33:50 +0600",
        "Pn, 29 paX 2007 21:13:00 +0100", "31 Feb 2010 10:00:00 +0000", "tomorrow"})
    void hopelessDatesGiveNullAndAFlag(String value) {
        Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
        assertThat(DateParser.parse(value, problems)).isNull();
        assertThat(problems).containsExactly(ParseProblem.BAD_DATE);
    }

    @org.junit.jupiter.api.Test
    void isoDatesWithAnOffsetAreValid() {
        Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
        assertThat(DateParser.parse("2010-10-13T07:53:04-09:00", problems)).isEqualTo(Instant.parse("2010-10-13T16:53:04Z"));
        assertThat(problems).isEmpty();
    }
}
