Feature: A caller holds in a queue while the agent is busy
  When the agent is already talking to a caller, the next caller hears that all agents are busy
  and waits in the hold queue with hold music. When the agent is free again, the app takes the
  caller at the front out of the queue and connects them to the agent.

  Scenario: the next caller waits in the queue, then meets the agent
    Given "agent" is at "+15550107777"
    When "alice" calls the app
    Then the app calls "agent"
    And "agent" is in a conference
    When "bob" calls the app
    Then "bob" hears "all agents are busy"
    And "bob" is waiting in a queue
    When "alice" hangs up
    Then "bob" is no longer in a queue
    And the app calls "agent"
    And "bob" is in a conference

  Scenario: a caller who hangs up while holding is not connected later
    Given "agent" is at "+15550107777"
    When "alice" calls the app
    Then the app calls "agent"
    And "agent" is in a conference
    When "bob" calls the app
    Then "bob" is waiting in a queue
    When "bob" hangs up
    Then "bob"'s call ends
    When "alice" hangs up
    Then the app does not call "agent" within 60 seconds
