@builtin
Feature: Built-in app checks
  Generic checks for an app whose callers end up in a conference after pressing
  HARNESS_APP_JOIN_DIGITS. Every scenario also gets the checks that need no step: every PerCL
  answer is valid, every webhook gets a 2xx in time, the app sent no malformed REST request, and
  the app is still running. `fch app test --no-builtin` skips this feature.

  Scenario: 1 a caller joins a conference
    When "alice" calls the app
    And "alice" presses the join digits
    Then "alice" is in a conference

  Scenario: 2 after the first caller hangs up and the conference empties, a new caller joins a conference again
    When "alice" calls the app
    And "alice" presses the join digits
    Then "alice" is in a conference
    When "alice" hangs up
    And "bob" calls the app
    And "bob" presses the join digits
    Then "bob" is in a conference

  Scenario: 3 the conference is terminated through REST; the caller's call ends, the webhooks get 2xx, and a new caller joins a new conference
    When "alice" calls the app
    And "alice" presses the join digits
    Then "alice" is in a conference
    When the conference of "alice" is terminated through REST
    Then "alice"'s call ends
    When "bob" calls the app
    And "bob" presses the join digits
    Then "bob" is in a conference
    And "bob" is not in the conference of "alice"

  Scenario: 4 a caller hangs up while the app is still collecting digits
    When "alice" calls the app
    And the app collects digits from "alice"
    When "alice" hangs up
    Then "alice"'s call ends
    And "alice" is not in a conference

  Scenario: 5 two callers with the join digits both end up in conferences
    When "alice" calls the app
    And "bob" calls the app
    And "alice" presses the join digits
    And "bob" presses the join digits
    Then "alice" is in a conference
    And "bob" is in a conference

  Scenario: 6 an unsigned, a forged and a stale inboundCall each get a 4xx
    Then the app rejects unsigned, forged and stale webhooks
