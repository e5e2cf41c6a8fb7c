"""Live Migration Network Advisor: plans and checks Hyper-V cluster networks for live migration."""
