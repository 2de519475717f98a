Feature: Conference statuses
  A conference is empty when created, populated when the first participant joins, inProgress when a
  participant with startConfOnEnter joins, empty again when the last one leaves, and terminated at
  the end. GET and list report the same status the callbacks do.

  @clause:C01 @fault:join-unknown-creates @fault:unknown-conference-500
  Scenario: a call cannot join a conference that was never created
    When "zed" tries to join a conference that was never created
    Then "zed" is not bridged into any conference within 10 seconds
    And the conference that was never created does not exist

  @clause:C01 @clause:C02
  Scenario: a conference created through REST starts empty
    Given a conference created through REST
    Then the conference status is "empty"
    And listing conferences with status "empty" includes the conference

  @clause:C01 @clause:C02 @clause:C03 @fault:no-action-url
  Scenario: a conference created by PerCL starts empty
    Given "host" creates a conference by PerCL and waits outside it
    Then the creation callback reports the conference as empty
    And the conference status is "empty"

  @clause:C03 @clause:C07 @fault:no-action-url @fault:start-moderator-ignored @fault:inprogress-before-populated
  Scenario: a creator who joins its own conference as a start moderator starts it
    Given "host" creates a conference by PerCL and joins it as a start moderator
    Then the status callbacks are one of:
      | empty, populated, inProgress |
      | empty, inProgress            |

  @clause:C05 @fault:no-populated-status @fault:stale-rest-status @fault:list-ignores-status-filter
  Scenario: the first participant makes the conference populated
    Given a conference created through REST
    When "alice" joins the conference
    Then the status callbacks are "empty, populated"
    And the conference status is "populated"
    And listing conferences with status "populated" includes the conference
    And listing conferences with status "empty" does not include the conference

  @clause:C07 @fault:start-moderator-ignored @fault:stale-rest-status @fault:no-populated-status @fault:start-flag-not-recorded
  Scenario: a start moderator moves a populated conference to inProgress
    Given a conference created through REST
    And "alice" joins the conference
    When "bob" joins the conference as a start moderator
    Then the status callbacks are "empty, populated, inProgress"
    And the conference status is "inProgress"
    And listing conferences with status "inProgress" includes the conference
    And "bob"'s participant resource has startConfOnEnter true
    And "alice"'s participant resource has startConfOnEnter false

  @clause:C07 @fault:start-moderator-ignored @fault:stale-rest-status @fault:start-conf-default-false @fault:inprogress-before-populated
  Scenario: startConfOnEnter defaults to true
    Given a conference created through REST
    When "alice" joins the conference without setting startConfOnEnter
    Then the status callbacks are one of:
      | empty, populated, inProgress |
      | empty, inProgress            |
    And the conference status is "inProgress"

  @clause:C07 @fault:second-moderator-restarts @fault:start-moderator-ignored @fault:inprogress-before-populated
  Scenario: a second start moderator does not start the conference again
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    When "bob" joins the conference as a start moderator
    Then the status callbacks are one of:
      | empty, populated, inProgress |
      | empty, inProgress            |

  @clause:C09 @fault:empty-on-any-leave @fault:rest-hangup-ignored @fault:inprogress-before-populated @fault:rest-hangup-no-call-status @fault:stale-rest-status @fault:start-moderator-ignored
  Scenario: the conference stays inProgress while a participant remains
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "bob" joins the conference
    When "bob" hangs up
    Then "bob"'s call ends with callStatus "completed"
    And the status callbacks are one of:
      | empty, populated, inProgress |
      | empty, inProgress            |
    And the conference status is "inProgress"

  @clause:C09 @fault:stays-populated-after-last-leave @fault:participant-list-stale @fault:start-moderator-ignored @fault:inprogress-before-populated @fault:rest-hangup-ignored
  Scenario: the last participant leaving makes the conference empty again
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    When "alice" hangs up
    Then the status callbacks are one of:
      | empty, populated, inProgress, empty |
      | empty, inProgress, empty            |
    And the conference status is "empty"
    And the conference has no participants

  @clause:C03 @clause:C05 @clause:C07 @clause:C09 @fault:no-action-url @fault:stays-populated-after-last-leave @fault:no-populated-status @fault:start-moderator-ignored @fault:rest-hangup-ignored
  Scenario: a conference created by PerCL goes through every status
    Given "host" creates a conference by PerCL and joins it
    When "guest" joins the conference as a start moderator
    And "guest" hangs up
    And "host" hangs up
    Then the status callbacks are "empty, populated, inProgress, empty"
    And the conference status is "empty"

  @clause:C12 @fault:stale-rest-status @fault:list-ignores-status-filter @fault:terminate-empty-rejected @fault:terminated-deleted
  Scenario: a terminated conference stays readable with status terminated
    Given a conference created through REST
    When the conference is terminated through REST
    Then the conference status is "terminated"
    And listing conferences with status "terminated" includes the conference
    And listing conferences with status "empty" does not include the conference

  @clause:C21 @fault:participant-update-ignored @fault:set-talk-ignored
  Scenario: participant privileges change through REST and PerCL
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "bob" joins the conference
    When "alice" is muted through REST
    And "bob" mutes itself by PerCL
    Then "alice"'s participant resource has talk false
    And "bob"'s participant resource has talk false
    And the conference has 2 participants
