Feature: Callback ordering
  FreeClimb tells the statusCallbackUrl about every status change, in order. Creating a conference
  by PerCL also invokes the actionUrl. Terminating a populated or inProgress conference reports
  empty, then terminated, and nothing about the conference follows. Participants' joins and
  departures are notified to the URLs they joined with.

  @clause:C02 @fault:no-creation-callback
  Scenario: creating a conference through REST invokes the statusCallbackUrl
    Given a conference created through REST
    Then the creation callback reports the conference as empty

  @clause:C03 @fault:no-action-url @fault:no-creation-callback
  Scenario: creating a conference by PerCL invokes both the actionUrl and the statusCallbackUrl
    Given "host" creates a conference by PerCL and joins it
    Then the actionUrl of "host" receives createConference with the conference ID
    And the creation callback reports the conference as empty
    And both creation callbacks arrive before the first participant joins

  @clause:C05 @clause:C07 @clause:C09 @clause:C14 @fault:no-populated-status @fault:start-moderator-ignored @fault:status-after-terminated @fault:terminate-empty-rejected @fault:no-terminated-callback
  Scenario: a whole lifecycle reports every status in order
    Given a conference created through REST
    When "alice" joins the conference
    And "bob" joins the conference as a start moderator
    And "bob" hangs up
    And "alice" hangs up
    And the conference is terminated through REST
    Then the status callbacks are one of:
      | empty, populated, inProgress, empty, terminated        |
      | empty, populated, inProgress, empty, empty, terminated |

  @clause:C07 @fault:start-moderator-ignored @fault:inprogress-before-populated
  Scenario: a first joiner with startConfOnEnter reports inProgress, with or without populated
    Given a conference created through REST
    When "alice" joins the conference as a start moderator
    Then the status callbacks are one of:
      | empty, populated, inProgress |
      | empty, inProgress            |

  @clause:C14 @fault:terminated-before-empty @fault:status-after-terminated @fault:no-populated-status @fault:terminate-skips-empty @fault:no-terminated-callback
  Scenario: terminating a populated conference reports empty, then terminated, then nothing
    Given a conference created through REST
    And "alice" joins the conference
    When the conference is terminated through REST
    Then the status callbacks are "empty, populated, empty, terminated"
    And no conference callback follows "terminated" within 10 seconds

  @clause:C14 @fault:terminated-before-empty @fault:status-after-terminated @fault:no-populated-status @fault:start-moderator-ignored @fault:terminate-percl-ignored @fault:terminate-skips-empty @fault:no-terminated-callback
  Scenario: terminating an inProgress conference reports empty, then terminated, then nothing
    Given a conference created through REST
    And "alice" joins the conference
    And "bob" joins the conference as a start moderator
    When "alice" terminates the conference by PerCL
    Then the status callbacks are "empty, populated, inProgress, empty, terminated"
    And no conference callback follows "terminated" within 10 seconds

  @clause:C19 @fault:no-join-notification
  Scenario: every join is notified to the participant's notificationUrl
    Given a conference created through REST
    When "alice" joins the conference
    And "bob" joins the conference
    Then "alice"'s join is notified
    And "bob"'s join is notified

  @clause:C17 @fault:no-leave-webhook @fault:participant-list-stale @fault:leave-answer-ignored
  Scenario: a participant removed by PerCL is notified to its leaveConferenceUrl, whose Hangup ends the call
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "bob" joins the conference
    When "bob" leaves the conference by PerCL
    Then "bob"'s departure is notified to its leaveConferenceUrl
    And "bob"'s call ends with callStatus "completed"
    And the conference has 1 participant

  @clause:C17 @fault:remove-hangs-up @fault:leave-answer-ignored @fault:no-leave-webhook @fault:participant-list-stale @fault:commands-after-terminal-run
  Scenario Outline: a participant removed <how> is unbridged and continues with the PerCL of its leaveConferenceUrl
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "bob" joins the conference, to be redirected when it leaves
    When "bob" is removed <how>
    Then "bob"'s departure is notified to its leaveConferenceUrl
    And "bob"'s call continues at its redirect
    And "bob"'s call is still up through REST
    And the conference has 1 participant

    Examples:
      | how          |
      | by PerCL     |
      | through REST |

  @clause:C18 @fault:hangup-leave-answer-run @fault:no-leave-webhook @fault:rest-hangup-ignored
  Scenario: the PerCL answered to a participant who hung up is ignored
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "bob" joins the conference, to be redirected when it leaves
    When "bob" hangs up
    Then "bob"'s departure is notified to its leaveConferenceUrl
    And no redirect arrives for "bob" within 10 seconds

  @clause:C18 @clause:C22 @fault:no-leave-webhook @fault:rest-hangup-no-call-status @fault:rest-hangup-ignored
  Scenario: a participant who hangs up still triggers leaveConference
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "bob" joins the conference
    When "bob" hangs up
    Then "bob"'s departure is notified to its leaveConferenceUrl
    And "bob"'s call ends with callStatus "completed"

  @clause:C17 @fault:participant-list-stale @fault:removed-call-stays-up
  Scenario: a participant removed through REST without a leaveConferenceUrl is disconnected
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "bob" joins the conference without a leave URL
    When "bob" is removed through REST
    Then "bob"'s call ends with callStatus "completed"
    And the conference has 1 participant

  @clause:C20 @fault:call-control-without-allow
  Scenario: without allowCallControl, entering the sequence sends nothing
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "bob" joins the conference without call control
    When "bob" presses the call-control sequence
    Then no callControl webhook arrives for "bob" within 10 seconds

  @clause:C20 @fault:set-talk-ignored
  Scenario: call control sends the digits and the conference to the callControlUrl
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    When "alice" mutes itself by PerCL
    Then the callControl webhook for "alice" carries the digits and the conference
    And "alice"'s participant resource has talk false
