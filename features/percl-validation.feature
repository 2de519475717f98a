Feature: The app's PerCL is validated before it is served
  Every PerCL answer is checked against the documented commands: shape, required attributes,
  types, enums, the terminal-command rule and the nesting rule. Each problem is reported with its
  JSON pointer and the rule it broke. Attributes that older SDKs still send are warnings.

  @clause:P01 @clause:P02
  Scenario Outline: a malformed answer is reported with its pointer and rule (<rule>)
    Given a conference created through REST
    When "carol" is dialled and the app answers with '<percl>'
    Then the answer to "carol" is reported invalid at "<pointer>" by rule "<rule>"

    Examples:
      | percl                                                                                        | pointer                              | rule            |
      | {"AddToConference":{}}                                                                       |                                      | document-shape  |
      | [{"AddToConference":{"startConfOnEnter":true}}]                                              | /0/AddToConference/conferenceId      | required        |
      | [{"Say":{"text":"hi"},"Hangup":{}}]                                                          | /0                                   | command-shape   |
      | [{"Conference":{"actionUrl":"https://example.com/a"}}]                                       | /0/Conference                        | unknown-command |
      | [{"AddToConference":{"conferenceId":"CF1","talk":"no"}}]                                     | /0/AddToConference/talk              | type            |
      | [{"CreateConference":{"actionUrl":"https://example.com/a","playBeep":"sometimes"}}]          | /0/CreateConference/playBeep         | enum            |
      | [{"CreateConference":{"actionUrl":"conference-created"}}]                                    | /0/CreateConference/actionUrl        | format          |
      | [{"Pause":{"length":0}}]                                                                     | /0/Pause/length                      | range           |
      | [{"GetDigits":{"actionUrl":"https://example.com/d","prompts":[{"Hangup":{}}]}}]              | /0/GetDigits/prompts/0/Hangup        | nesting         |

  @clause:P01 @clause:P03
  Scenario Outline: an answer with a warning is still valid (<rule>)
    {{url:name}} in the PerCL stands for a URL of the scenario's own callback receiver.

    Given a conference created through REST
    When "dave" is dialled and the app answers with '<percl>'
    Then the answer to "dave" is valid with a warning at "<pointer>" by rule "<rule>"

    Examples:
      | percl                                                                        | pointer                          | rule              |
      | [{"Say":{"text":"moving on"}},{"Redirect":{"actionUrl":"{{url:moved}}"}},{"Say":{"text":"never said"}}] | /2   | after-terminal    |
      | [{"Say":{"text":"hi","voice":"robot"}},{"Hangup":{}}]                       | /0/Say/voice                     | unknown-attribute |
      | [{"SetTalk":{"talk":false,"callId":"CA1"}},{"Hangup":{}}]                   | /0/SetTalk/callId                | legacy-attribute  |

  @clause:P01
  Scenario Outline: a valid answer passes without problems
    Given a conference created through REST
    When "erin" is dialled and the app answers with '<percl>'
    Then the answer to "erin" is valid

    Examples:
      | percl                                                                                                    |
      | [{"Say":{"text":"Welcome","loop":1}},{"Pause":{"length":500}},{"Hangup":{"reason":"done"}}]              |
      | [{"GetDigits":{"actionUrl":"{{url:digits}}","maxDigits":4,"prompts":[{"Play":{"file":"{{url:hold.wav}}"}}]}}] |

  @clause:P01 @no-callbacks
  Scenario Outline: the documented example scripts are valid
    Then the PerCL '<percl>' is valid

    Examples:
      | percl                                                                                                                                                               |
      | [{"CreateConference":{"actionUrl":"https://h.example/conf/created","statusCallbackUrl":"https://h.example/conf/status","playBeep":"always"}}]                         |
      | [{"AddToConference":{"conferenceId":"CFf44c926f757059dea479b144947488e1f257be58","startConfOnEnter":true,"leaveConferenceUrl":"https://h.example/conf/left","notificationUrl":"https://h.example/conf/joined"}}] |
      | [{"Say":{"text":"Goodbye","loop":1}},{"TerminateConference":{}}]                                                                                                    |
      | [{"SetTalk":{"talk":false}}]                                                                                                                                        |
      | [{"GetDigits":{"actionUrl":"https://h.example/digits","maxDigits":1,"minDigits":1,"flushBuffer":true,"prompts":[{"Say":{"text":"Enter a room code","loop":1}}]}}]   |

  @clause:C20 @fault:participant-list-stale @fault:invalid-control-percl-ignored
  Scenario: invalid PerCL in a call-control answer terminates that leg
    Given a conference created through REST
    And "alice" joins the conference as a start moderator
    And "bob" joins the conference
    When "bob" answers call control with '[{"SetTalk":{"talk":"off"}}]'
    Then "bob"'s call ends with callStatus "completed"
    And the conference has 1 participant

  @clause:P01 @no-callbacks
  Scenario Outline: scripts built with the SDK 2.1.3 builders are valid (<command>)
    The PerCL is what percl.<builder> of @freeclimb/sdk 2.1.3 serializes (test/fixtures/percl/sdk-2.1.3.json).

    Then the PerCL '<percl>' is valid

    Examples:
      | command         | builder          | percl                                                                                                                                                                                           |
      | Enqueue         | enqueue          | [{"Say":{"text":"Please hold"}},{"Enqueue":{"queueId":"QUaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","actionUrl":"https://h.example/queue/left","waitUrl":"https://h.example/queue/wait","notificationUrl":"https://h.example/queue/joined"}}] |
      | Dequeue         | dequeue          | [{"Say":{"text":"An agent is free"}},{"Dequeue":{}}]                                                                                                                                             |
      | RecordUtterance | recordUtterance  | [{"Say":{"text":"Leave a message"}},{"RecordUtterance":{"actionUrl":"https://h.example/voicemail","silenceTimeoutMs":3000,"finishOnKey":"#","maxLengthSec":60,"playBeep":true,"autoStart":false}}] |
      | StartRecordCall | startRecordCall  | [{"StartRecordCall":{}},{"Say":{"text":"This call is recorded"}},{"Redirect":{"actionUrl":"https://h.example/next"}}]                                                                           |
      | PlayEarlyMedia  | playEarlyMedia   | [{"PlayEarlyMedia":{"file":"https://h.example/ringback.wav"}},{"Say":{"text":"Welcome"}},{"Hangup":{}}]                                                                                         |
      | GetSpeech       | getSpeech        | [{"GetSpeech":{"actionUrl":"https://h.example/speech","grammarFile":"VERSAY_YESNO","grammarType":"BUILTIN","prompts":[{"Say":{"text":"Yes or no?"}},{"Pause":{"length":500}}]}}]               |
      | Sms             | sms              | [{"Sms":{"from":"+15550100001","to":"+15550104444","text":"Your code is 1234","notificationUrl":"https://h.example/sms/status"}},{"Hangup":{}}]                                                 |

  @clause:P01 @clause:P02 @no-callbacks
  Scenario Outline: a broken non-conference command is reported with its pointer and rule (<rule>)
    Then the PerCL '<percl>' is invalid at "<pointer>" by rule "<rule>"

    Examples:
      | percl                                                                                                                          | pointer                          | rule     |
      | [{"Enqueue":{"queueId":"QUaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","actionUrl":"https://h.example/left"}}]                      | /0/Enqueue/waitUrl               | required |
      | [{"GetSpeech":{"actionUrl":"https://h.example/s","grammarFile":"YES_NO","grammarType":"BUILTIN"}}]                               | /0/GetSpeech/grammarFile         | enum     |
      | [{"GetSpeech":{"actionUrl":"https://h.example/s","grammarFile":"DIG4","grammarType":"BUILTIN","prompts":[{"Dequeue":{}}]}}]      | /0/GetSpeech/prompts/0/Dequeue   | nesting  |
      | [{"RecordUtterance":{"actionUrl":"https://h.example/r","finishOnKey":"##"}}]                                                     | /0/RecordUtterance/finishOnKey   | format   |
      | [{"Sms":{"from":"+15550100001","to":"+15550104444","text":""}}]                                                                  | /0/Sms/text                      | range    |
