Feature: Reuse while empty
  A conference can be reused as long as its status stays empty: the cycle empty → populated →
  inProgress → empty can repeat until the conference is terminated. A terminated conference can
  never be used again, and its ID is not reused.

  @clause:C11 @fault:empty-is-final @fault:stays-populated-after-last-leave @fault:start-moderator-ignored @fault:inprogress-before-populated @fault:second-cycle-not-reported @fault:rest-hangup-ignored
  Scenario: a conference created through REST is reused twice
    Given a conference created through REST
    When "alice" joins the conference as a start moderator
    And "alice" hangs up
    And "bob" joins the conference as a start moderator
    And "bob" hangs up
    Then the status callbacks are one of:
      | empty, populated, inProgress, empty, populated, inProgress, empty |
      | empty, inProgress, empty, inProgress, empty                       |
    And the conference status is "empty"

  @clause:C11 @fault:empty-is-final @fault:stays-populated-after-last-leave @fault:no-action-url @fault:no-populated-status @fault:start-moderator-ignored @fault:populated-does-not-empty @fault:second-cycle-not-reported @fault:rest-hangup-ignored
  Scenario: a conference created by PerCL goes through three cycles
    Given "host" creates a conference by PerCL and joins it
    When "a1" joins the conference as a start moderator
    And "a1" hangs up
    And "host" hangs up
    And "b1" joins the conference
    And "b2" joins the conference as a start moderator
    And "b2" is removed through REST
    And "b1" hangs up
    And "c1" joins the conference
    And "c1" hangs up
    Then the status callbacks are "empty, populated, inProgress, empty, populated, inProgress, empty, populated, empty"

  @clause:C11 @clause:C12 @fault:empty-is-final @fault:no-populated-status @fault:start-moderator-ignored @fault:status-after-terminated @fault:stays-populated-after-last-leave @fault:terminate-keeps-participants @fault:terminate-no-call-status @fault:terminated-before-empty @fault:inprogress-before-populated @fault:terminate-skips-empty @fault:second-cycle-not-reported @fault:no-terminated-callback @fault:rest-hangup-ignored
  Scenario: a reused conference can still be terminated
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "alice" hangs up
    When "bob" joins the conference
    And the conference is terminated through REST
    Then the status callbacks are one of:
      | empty, populated, inProgress, empty, populated, empty, terminated |
      | empty, inProgress, empty, populated, empty, terminated            |
    And "bob"'s call ends with callStatus "completed"

  @clause:C12 @fault:terminated-accepts-updates @fault:stale-rest-status @fault:terminate-empty-rejected @fault:terminated-deleted
  Scenario: a terminated conference cannot be reused through REST
    Given a conference created through REST
    And the conference is terminated through REST
    When the app tries to reuse the terminated conference through REST
    Then the request is rejected with a client error
    And the conference status is "terminated"

  @clause:C12 @fault:terminated-accepts-participants @fault:no-populated-status @fault:stale-rest-status @fault:status-after-terminated @fault:terminated-before-empty @fault:terminate-skips-empty @fault:terminated-deleted @fault:no-terminated-callback
  Scenario: a terminated conference cannot be reused through PerCL
    Given a conference created through REST
    And "alice" joins the conference
    And the conference is terminated through REST
    When "late" tries to join the conference
    Then "late" is not bridged into the conference within 10 seconds
    And the status callbacks are "empty, populated, empty, terminated"
    And the conference status is "terminated"

  @clause:C12 @fault:terminate-empty-rejected @fault:conference-id-reused
  Scenario: a new conference never gets a terminated conference's ID
    Given a conference created through REST
    And the conference is terminated through REST
    Then a new conference gets a different conference ID
