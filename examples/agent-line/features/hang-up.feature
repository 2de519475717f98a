Feature: When one side hangs up, the conference ends
  A support conference holds one caller and one agent. Once either of them hangs up, the app ends
  the conference through the API, so the other side is not left on the line.

  Scenario: the caller hangs up and the agent's call ends
    Given "agent" is at "+15550107777"
    When "alice" calls the app
    Then the app calls "agent"
    And "alice" and "agent" are in the same conference
    When "alice" hangs up
    Then "agent"'s call ends
    And the conference of "agent" is "terminated"

  Scenario: the agent hangs up and the caller's call ends
    Given "agent" is at "+15550107777"
    When "alice" calls the app
    Then the app calls "agent"
    And "agent" is in a conference
    When "agent" hangs up
    Then "alice"'s call ends
    And the conference of "alice" is "terminated"

  # A live gate's people answer at once (the harness answers its numbers), so the agent's phone never rings long enough.
  @mock-only
  Scenario: the caller hangs up while the agent's phone rings
    Given "agent" is at "+15550107777"
    When "alice" calls the app
    Then the app calls "agent"
    When "alice" hangs up
    Then "agent" hears "already hung up"
    And "agent"'s call ends
    And "agent" is not in a conference

  Scenario: the caller's hang-up is the last step
    What the app does after answering it (it ends the conference through the API, perhaps a moment
    later) still belongs to this scenario, and its webhooks need their 2xx answers too.
    Given "agent" is at "+15550107777"
    When "alice" calls the app
    Then "alice" and "agent" are in the same conference
    When "alice" hangs up
