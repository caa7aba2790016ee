; Inno Setup script for KasirBackup (Windows). Build the app first (pyinstaller
; packaging\kasirbackup.spec, into dist\KasirBackup), then:
;     iscc packaging\windows\KasirBackup.iss          -> dist\KasirBackup-0.1.0-setup.exe
; Per-user install (no administrator prompt): the app goes to %LOCALAPPDATA%\Programs\KasirBackup,
; gets a Start menu entry, optionally a desktop icon and "start with Windows" (minimised to the
; tray: the same registry value the app's own "Start with login" setting writes). Uninstall
; removes the program and those entries; backups and settings are kept.
; Sign KasirBackup.exe, kasirbackup-cli.exe and the setup with signtool (see docs/PACKAGING.md).

#define AppName "KasirBackup"
#define AppVersion "0.1.0"
#define AppExe "KasirBackup.exe"

[Setup]
AppId={{6B1E0C3A-7F2D-4E5B-9A41-2C8D5F0B7E19}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=KasirBackup contributors
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile=..\..\build\kasirbackup\icons\kasirbackup.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
; SignTool=kasirsign $f      ; define "kasirsign" in the Inno Setup IDE / iscc /S when a certificate is available

; Indonesian.isl is an unofficial Inno Setup translation (jrsoftware.org/files/istrans/): copy it
; into Inno Setup's Languages folder; without it the installer is built in English only.
#define HaveIndonesian FileExists(CompilerPath + "Languages\Indonesian.isl")

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#if HaveIndonesian
Name: "indonesian"; MessagesFile: "compiler:Languages\Indonesian.isl"
#endif

[CustomMessages]
english.StartWithWindows=Start KasirBackup in the tray when I log in (needed for nightly backups)
#if HaveIndonesian
indonesian.StartWithWindows=Jalankan KasirBackup di baki sistem saat saya masuk (perlu untuk pencadangan malam)
#endif

[Tasks]
Name: "startup"; Description: "{cm:StartWithWindows}"
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\KasirBackup\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; the value KasirBackup's own "Start with login" setting reads and writes (kasirbackup/app/ossched.py)
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "KasirBackup"; \
    ValueData: """{app}\{#AppExe}"" --minimized"; Flags: uninsdeletevalue; Tasks: startup

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; scheduled tasks made by "kasirbackup schedule install" are left alone: they are the user's
Filename: "{cmd}"; Parameters: "/C taskkill /IM {#AppExe} /F"; Flags: runhidden; RunOnceId: "StopKasirBackup"
