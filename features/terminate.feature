Feature: Terminate removes the participants
  Terminating a conference, through REST or with the TerminateConference command, removes every
  participant: their calls end and each call's statusCallbackUrl receives callStatus. It works
  whether the conference is populated, inProgress or empty.

  @clause:C13 @clause:C16 @fault:terminate-keeps-participants @fault:terminate-no-call-status @fault:participant-list-stale @fault:terminate-ends-first-only
  Scenario: terminating a populated conference through REST hangs up its participants
    Given a conference created through REST
    And "alice" joins the conference
    And "bob" joins the conference
    When the conference is terminated through REST
    Then "alice"'s call ends with callStatus "completed"
    And "bob"'s call ends with callStatus "completed"
    And the conference has no participants
    And "alice"'s call is "completed" through REST

  @clause:C13 @clause:C16 @fault:terminate-keeps-participants @fault:terminate-no-call-status @fault:participant-list-stale @fault:stale-rest-status @fault:terminated-deleted @fault:terminate-ends-first-only
  Scenario: terminating an inProgress conference through REST hangs up its participants
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "bob" joins the conference
    When the conference is terminated through REST
    Then "alice"'s call ends with callStatus "completed"
    And "bob"'s call ends with callStatus "completed"
    And the conference has no participants
    And the conference status is "terminated"

  @clause:C15 @clause:C16 @fault:terminate-empty-rejected @fault:stale-rest-status @fault:status-after-terminated @fault:terminated-deleted @fault:no-terminated-callback
  Scenario: an empty conference can be terminated through REST
    Given a conference created through REST
    When the conference is terminated through REST
    Then the status callbacks are one of:
      | empty, terminated        |
      | empty, empty, terminated |
    And the conference status is "terminated"

  @clause:C13 @clause:C16 @fault:terminate-percl-ignored @fault:terminate-keeps-participants @fault:terminate-no-call-status @fault:participant-list-stale @fault:stale-rest-status @fault:terminated-deleted @fault:terminate-ends-first-only
  Scenario: TerminateConference from an inProgress conference hangs up every participant
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "bob" joins the conference
    And "carol" joins the conference
    When "bob" terminates the conference by PerCL
    Then "alice"'s call ends with callStatus "completed"
    And "bob"'s call ends with callStatus "completed"
    And "carol"'s call ends with callStatus "completed"
    And the conference has no participants
    And the conference status is "terminated"

  @clause:C13 @clause:C16 @fault:terminate-percl-ignored @fault:terminate-keeps-participants @fault:participant-list-stale @fault:no-action-url @fault:no-populated-status @fault:status-after-terminated @fault:terminate-no-call-status @fault:terminated-before-empty @fault:terminate-skips-empty @fault:terminate-ends-first-only @fault:no-terminated-callback
  Scenario: TerminateConference from a populated conference created by PerCL
    Given "host" creates a conference by PerCL and joins it
    And "guest" joins the conference
    When "guest" terminates the conference by PerCL
    Then "host"'s call ends with callStatus "completed"
    And "guest"'s call ends with callStatus "completed"
    And the status callbacks are "empty, populated, empty, terminated"
    And the conference has no participants

  @clause:C16 @clause:P03 @fault:terminate-percl-ignored @fault:stale-rest-status @fault:terminate-keeps-participants @fault:terminate-no-call-status @fault:terminated-deleted @fault:legacy-attributes-rejected
  Scenario: TerminateConference in the legacy SDK shape still terminates
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    When "alice" terminates the conference by PerCL in the legacy shape
    Then "alice"'s call ends with callStatus "completed"
    And the conference status is "terminated"

  @clause:C22 @fault:cancel-ends-in-progress
  Scenario: canceling a call that is already in progress has no effect
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    When "alice"'s call is canceled through REST
    Then "alice"'s call is still up through REST
    And the conference has 1 participant
